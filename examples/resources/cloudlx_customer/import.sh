# Import customer 915 (its numeric ID, as shown in the portal or by the
# cloudlx_customers data source) into the resource cloudlx_customer.example.
terraform import cloudlx_customer.example 915
