package cloudlx

import "encoding/json"

// jsonRaw is a lazily decoded JSON value; decoding an absent one is a no-op.
type jsonRaw json.RawMessage

func (r *jsonRaw) UnmarshalJSON(b []byte) error {
	*r = append((*r)[:0], b...)
	return nil
}

func (r jsonRaw) decode(v any) error {
	if len(r) == 0 {
		return nil
	}
	return json.Unmarshal(r, v)
}

func nonNil(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}
