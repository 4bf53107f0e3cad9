// Package iso holds the dated tables of ISO 4217 currency codes and ISO
// 3166-1 alpha-2 country codes that both the provider's plan-time checks and
// the emulator's validation use: one table, so the emulator accepts exactly
// what a plan lets through. It knows nothing of Terraform.
package iso

import (
	"slices"
	"strings"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/suggest"
)

// The tables are kept here rather than taken from golang.org/x/text: its
// tables lag the standards by years. Measured with x/text v0.44.0 on
// 2026-12-01, currency.ParseISO refuses the current VES, VED, MRU, SLE, ZWG
// and XCG, and accepts the withdrawn BYR, MRO, STD, LTL, EEK, HRK, SLL, ZWL
// and CUC; language.ParseRegion calls the withdrawn AN, CS and YU countries.
//
// Keeping the tables current: when ISO 4217 (maintenance agency: SIX, on
// behalf of ISO) or ISO 3166-1 (the ISO 3166 Maintenance Agency) adds or
// withdraws a code, move it here, cite the date, and update AsOf. Until a
// release carries a new code, users allow it with the provider settings
// additional_currency_codes and additional_country_codes.

// AsOf is the date the tables below were last checked against the standards,
// quoted in the error for a code they do not know.
const AsOf = "2026-12-01"

// Table is the current and the retired codes of one standard.
type Table struct {
	Standard string // as named in messages: "ISO 4217"
	Kind     string // what a code names: "currency"
	Length   int    // letters in a code: 3
	current  map[string]bool
	retired  map[string]Retired
}

// Retired is a code that must not be used: withdrawn, or reserved for
// something that is not a country.
type Retired struct {
	Reason     string   // why, with the date: "Croatia adopted the euro on 2023-01-01"
	Successors []string // the codes to use instead; none when there is no single answer
}

// Status is what a table knows of a code.
type Status int

const (
	Unknown Status = iota
	Current
	Withdrawn
)

// Lookup returns what the table knows of an uppercase code.
func (t *Table) Lookup(code string) (Status, Retired) {
	if t.current[code] {
		return Current, Retired{}
	}
	if r, ok := t.retired[code]; ok {
		return Withdrawn, r
	}
	return Unknown, Retired{}
}

// IsCurrent reports whether code is a current code, written in uppercase.
func (t *Table) IsCurrent(code string) bool { return t.current[code] }

// CurrentCodes returns the current codes, sorted.
func (t *Table) CurrentCodes() []string {
	out := make([]string, 0, len(t.current))
	for c := range t.current {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// WellFormed reports whether code has the table's length and only ASCII
// letters, in either case.
func (t *Table) WellFormed(code string) bool {
	if len(code) != t.Length {
		return false
	}
	for _, r := range code {
		if (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') {
			return false
		}
	}
	return true
}

// maxSuggestions bounds a "did you mean": beyond it the list helps nobody.
const maxSuggestions = 3

// Suggest returns the current codes one edit away from code (a swap of two
// letters first: GPB suggests GBP), sorted, or none when more than a few are
// that close (a two-letter country code is one edit away from dozens).
func (t *Table) Suggest(code string) []string {
	found := suggest.Closest(strings.ToUpper(code), t.CurrentCodes(), 1)
	if len(found) > maxSuggestions {
		return nil
	}
	return found
}

func codeSet(codes string) map[string]bool {
	set := map[string]bool{}
	for _, c := range strings.Fields(codes) {
		set[c] = true
	}
	return set
}

// euro is the successor of every currency the euro replaced.
var euro = []string{"EUR"}

// Currencies: ISO 4217 List One (current currencies and funds) and the List
// Three (historic) codes a user may still have in a configuration. Dates are
// the day the change took effect.
var Currencies = Table{
	Standard: "ISO 4217",
	Kind:     "currency",
	Length:   3,
	current: codeSet(`
		AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD
		CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP
		GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR
		KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN
		MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD
		SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX
		USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF
		XPT XSU XTS XUA XXX YER ZAR ZMW ZWG`),
	retired: map[string]Retired{
		// Replaced by a new code for the same country.
		"BYR": {"Belarus redenominated its rouble as BYN on 2016-07-01", []string{"BYN"}},
		"MRO": {"Mauritania redenominated its ouguiya as MRU on 2018-01-01", []string{"MRU"}},
		"STD": {"São Tomé and Príncipe redenominated its dobra as STN on 2018-01-01", []string{"STN"}},
		"VEF": {"Venezuela redenominated its bolívar as VES on 2018-08-20", []string{"VES"}},
		"VEB": {"Venezuela replaced it with VEF on 2008-01-01, since replaced by VES", []string{"VES"}},
		"SLL": {"Sierra Leone redenominated its leone as SLE on 2022-07-01", []string{"SLE"}},
		"ZWL": {"Zimbabwe replaced it with the Zimbabwe Gold, ZWG, from 2024-06-25 (ZWL ceased on 2024-09-01)", []string{"ZWG"}},
		"ANG": {"Curaçao and Sint Maarten replaced the Netherlands Antillean guilder with the Caribbean guilder, XCG, on 2025-03-31", []string{"XCG"}},
		"CUC": {"Cuba unified its currencies into the peso, CUP, on 2021-01-01", []string{"CUP"}},
		"ZMK": {"Zambia redenominated its kwacha as ZMW on 2013-01-01", []string{"ZMW"}},
		"GHC": {"Ghana redenominated its cedi as GHS on 2007-07-01", []string{"GHS"}},
		"TMM": {"Turkmenistan redenominated its manat as TMT on 2009-01-01", []string{"TMT"}},
		"AZM": {"Azerbaijan redenominated its manat as AZN on 2006-01-01", []string{"AZN"}},
		"MZM": {"Mozambique redenominated its metical as MZN on 2006-07-01", []string{"MZN"}},
		"ROL": {"Romania redenominated its leu as RON on 2005-07-01", []string{"RON"}},
		"TRL": {"Turkey redenominated its lira as TRY on 2005-01-01", []string{"TRY"}},
		"SDD": {"Sudan replaced its dinar with the pound, SDG, in 2007", []string{"SDG"}},
		"CSD": {"Serbia replaced it with the dinar RSD in 2006", []string{"RSD"}},
		"MGF": {"Madagascar replaced its franc with the ariary, MGA, in 2005", []string{"MGA"}},
		"SRG": {"Suriname replaced its guilder with the dollar, SRD, on 2004-01-01", []string{"SRD"}},
		"AFA": {"Afghanistan redenominated its afghani as AFN in 2003", []string{"AFN"}},
		"BGL": {"Bulgaria redenominated its lev as BGN on 1999-07-05, and adopted the euro on 2026-01-01", euro},
		// Replaced by the euro.
		"BGN": {"Bulgaria adopted the euro on 2026-01-01", euro},
		"HRK": {"Croatia adopted the euro on 2023-01-01", euro},
		"LTL": {"Lithuania adopted the euro on 2015-01-01", euro},
		"LVL": {"Latvia adopted the euro on 2014-01-01", euro},
		"EEK": {"Estonia adopted the euro on 2011-01-01", euro},
		"SKK": {"Slovakia adopted the euro on 2009-01-01", euro},
		"CYP": {"Cyprus adopted the euro on 2008-01-01", euro},
		"MTL": {"Malta adopted the euro on 2008-01-01", euro},
		"SIT": {"Slovenia adopted the euro on 2007-01-01", euro},
		"ATS": {"Austria adopted the euro in 1999 (notes and coins on 2002-01-01)", euro},
		"BEF": {"Belgium adopted the euro in 1999 (notes and coins on 2002-01-01)", euro},
		"DEM": {"Germany adopted the euro in 1999 (notes and coins on 2002-01-01)", euro},
		"ESP": {"Spain adopted the euro in 1999 (notes and coins on 2002-01-01)", euro},
		"FIM": {"Finland adopted the euro in 1999 (notes and coins on 2002-01-01)", euro},
		"FRF": {"France adopted the euro in 1999 (notes and coins on 2002-01-01)", euro},
		"GRD": {"Greece adopted the euro in 2001 (notes and coins on 2002-01-01)", euro},
		"IEP": {"Ireland adopted the euro in 1999 (notes and coins on 2002-01-01)", euro},
		"ITL": {"Italy adopted the euro in 1999 (notes and coins on 2002-01-01)", euro},
		"LUF": {"Luxembourg adopted the euro in 1999 (notes and coins on 2002-01-01)", euro},
		"NLG": {"the Netherlands adopted the euro in 1999 (notes and coins on 2002-01-01)", euro},
		"PTE": {"Portugal adopted the euro in 1999 (notes and coins on 2002-01-01)", euro},
	},
}

// Countries: ISO 3166-1 alpha-2, the 249 officially assigned codes, and
// the codes a user may mistake for one: codes withdrawn into ISO 3166-3 and
// codes exceptionally reserved for something that is not a country.
// User-assigned codes (AA, QM-QZ, XA-XZ, ZZ; Kosovo's XK among them) are in
// neither list: one CloudLX accepts is allowed with the provider's
// additional_country_codes.
var Countries = Table{
	Standard: "ISO 3166-1 alpha-2",
	Kind:     "country",
	Length:   2,
	current: codeSet(`
		AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
		BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE
		EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM
		HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC
		LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA
		NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
		SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO
		TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW`),
	retired: map[string]Retired{
		// Withdrawn (ISO 3166-3), on the date given.
		"AN": {"withdrawn on 2010-12-15, when the Netherlands Antilles were dissolved", []string{"CW", "SX", "BQ"}},
		"CS": {"withdrawn on 2006-09-26, when Serbia and Montenegro separated (and, before that, for Czechoslovakia in 1993)", []string{"RS", "ME"}},
		"YU": {"withdrawn on 2003-07-23, when Yugoslavia became Serbia and Montenegro, since separated", []string{"RS", "ME"}},
		"ZR": {"withdrawn on 1997-07-14, when Zaire became the Democratic Republic of the Congo", []string{"CD"}},
		"TP": {"withdrawn on 2002-05-20, when East Timor became Timor-Leste", []string{"TL"}},
		"BU": {"withdrawn on 1989-12-05, when Burma became Myanmar", []string{"MM"}},
		"DD": {"withdrawn in 1990, when Germany reunified", []string{"DE"}},
		"YD": {"withdrawn in 1990, when Yemen unified", []string{"YE"}},
		"SU": {"withdrawn on 1992-08-30, when the Soviet Union dissolved", nil},
		"NT": {"withdrawn in 1993, when the Saudi-Iraqi neutral zone was divided", []string{"SA", "IQ"}},
		"DY": {"withdrawn in 1977, when Dahomey became Benin", []string{"BJ"}},
		"HV": {"withdrawn in 1984, when Upper Volta became Burkina Faso", []string{"BF"}},
		"NH": {"withdrawn in 1980, when the New Hebrides became Vanuatu", []string{"VU"}},
		"RH": {"withdrawn in 1980, when Southern Rhodesia became Zimbabwe", []string{"ZW"}},
		"VD": {"withdrawn in 1977, when Vietnam reunified", []string{"VN"}},
		// Exceptionally reserved: not a country's code.
		"UK": {"exceptionally reserved for the United Kingdom, whose ISO 3166-1 code is GB", []string{"GB"}},
		"FX": {"exceptionally reserved for metropolitan France, whose ISO 3166-1 code is FR", []string{"FR"}},
		"EA": {"exceptionally reserved for Ceuta and Melilla, part of Spain", []string{"ES"}},
		"IC": {"exceptionally reserved for the Canary Islands, part of Spain", []string{"ES"}},
		"AC": {"exceptionally reserved for Ascension Island, part of Saint Helena, Ascension and Tristan da Cunha", []string{"SH"}},
		"TA": {"exceptionally reserved for Tristan da Cunha, part of Saint Helena, Ascension and Tristan da Cunha", []string{"SH"}},
		"DG": {"exceptionally reserved for Diego Garcia, part of the British Indian Ocean Territory", []string{"IO"}},
		"CP": {"exceptionally reserved for Clipperton Island, a French possession", []string{"FR"}},
		"EU": {"exceptionally reserved for the European Union, which is not a country", nil},
		"EZ": {"exceptionally reserved for the eurozone, which is not a country", nil},
		"UN": {"exceptionally reserved for the United Nations, which is not a country", nil},
	},
}
