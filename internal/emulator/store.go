package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
)

// firstCustomerID is where ids start; they only ever grow and are never reused, so a
// deleted customer's id keeps answering 404.
const firstCustomerID = 1000

// record is a stored customer: its validated, normalised input plus the write-only user
// fields from its create.
type record struct {
	ID    int64         `json:"id"`
	Input CustomerInput `json:"input"`
	Admin AdminUser     `json:"admin_user"`
}

// stateFile is the JSON persisted at Options.StatePath. Tokens are deliberately absent:
// after a restart clients fetch new ones, as they would after any token loss.
type stateFile struct {
	Version   int      `json:"version"`
	NextID    int64    `json:"next_id"`
	Customers []record `json:"customers"`
}

const stateVersion = 1

// store holds the customers. One mutex serialises writes together with their
// persistence, so the file always reflects a state that existed, in order.
type store struct {
	mu        sync.RWMutex
	customers map[int64]record
	nextID    int64
	path      string // "" = memory only
}

func openStore(path string) (*store, error) {
	st := &store{customers: map[int64]record{}, nextID: firstCustomerID, path: path}
	if path == "" {
		return st, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, fmt.Errorf("emulator: reading state: %w", err)
	}
	var sf stateFile
	if err := json.Unmarshal(data, &sf); err != nil {
		return nil, fmt.Errorf("emulator: state file %s is not valid JSON: %w", path, err)
	}
	if sf.Version != stateVersion {
		return nil, fmt.Errorf("emulator: state file %s has version %d, want %d", path, sf.Version, stateVersion)
	}
	if sf.NextID > st.nextID {
		st.nextID = sf.NextID
	}
	for _, rec := range sf.Customers {
		rec.Input = rec.Input.clone()
		st.customers[rec.ID] = rec
		if rec.ID >= st.nextID { // a hand-edited file must not make ids collide
			st.nextID = rec.ID + 1
		}
	}
	return st, nil
}

func (st *store) get(id int64) (record, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	rec, ok := st.customers[id]
	if ok {
		rec.Input = rec.Input.clone()
	}
	return rec, ok
}

// list returns all customers sorted by id.
func (st *store) list() []record {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := make([]record, 0, len(st.customers))
	for _, rec := range st.customers {
		rec.Input = rec.Input.clone()
		out = append(out, rec)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// create stores a validated input under the next id.
func (st *store) create(in CustomerInput, admin AdminUser) (record, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	rec := record{ID: st.nextID, Input: in.clone(), Admin: admin}
	st.nextID++ // even if saving fails: an id that may have been seen is never handed out again
	st.customers[rec.ID] = rec
	if err := st.saveLocked(); err != nil {
		delete(st.customers, rec.ID)
		return record{}, err
	}
	return rec, nil
}

// update runs change on the stored input under the write lock, so concurrent PATCHes of
// one customer each merge onto the other's result instead of losing one. change returns
// the validated new input, or an error that is passed through.
func (st *store) update(id int64, change func(CustomerInput) (CustomerInput, error)) (record, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	old, ok := st.customers[id]
	if !ok {
		return record{}, ErrNotFound
	}
	in, err := change(old.Input.clone())
	if err != nil {
		return record{}, err
	}
	rec := old
	rec.Input = in.clone()
	st.customers[id] = rec
	if err := st.saveLocked(); err != nil {
		st.customers[id] = old
		return record{}, err
	}
	return rec, nil
}

func (st *store) delete(id int64) (bool, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	old, ok := st.customers[id]
	if !ok {
		return false, nil
	}
	delete(st.customers, id)
	if err := st.saveLocked(); err != nil {
		st.customers[id] = old
		return false, err
	}
	return true, nil
}

// saveLocked writes the whole store to path: a temp file in the same directory, synced,
// then renamed over the old one, so a crash leaves either the old or the new state and
// never half a file. The caller holds st.mu.
func (st *store) saveLocked() error {
	if st.path == "" {
		return nil
	}
	sf := stateFile{Version: stateVersion, NextID: st.nextID, Customers: make([]record, 0, len(st.customers))}
	for _, rec := range st.customers {
		sf.Customers = append(sf.Customers, rec)
	}
	sort.Slice(sf.Customers, func(i, j int) bool { return sf.Customers[i].ID < sf.Customers[j].ID })
	data, err := json.MarshalIndent(sf, "", "  ")
	if err != nil {
		return fmt.Errorf("emulator: encoding state: %w", err)
	}
	dir, base := filepath.Split(st.path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("emulator: saving state: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("emulator: saving state: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("emulator: saving state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("emulator: saving state: %w", err)
	}
	if err := os.Rename(tmp.Name(), st.path); err != nil {
		return fmt.Errorf("emulator: saving state: %w", err)
	}
	return nil
}
