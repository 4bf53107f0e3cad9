package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// The provider registry protocol, as the Terraform Registry serves it:
// https://developer.hashicorp.com/terraform/internals/provider-registry-protocol

// signingKey is the GPG public key a download answer carries.
type signingKey struct {
	ID         string `json:"key_id"`
	ASCIIArmor string `json:"ascii_armor"`
}

// pkg is one platform's zip of a release.
type pkg struct {
	OS, Arch, Filename, SHA256 string
}

// release is one version found in the dist directory.
type release struct {
	version   string
	protocols []string
	shasums   string         // the SHA256SUMS file's name
	packages  map[string]pkg // by "os_arch"
}

// registry serves the releases of one provider found in a dist directory.
type registry struct {
	namespace, typ string
	dist           string
	key            signingKey
	releases       map[string]*release // by version
	files          map[string]bool     // the names /files/ serves
}

// loadRegistry reads the releases in dist: for each
// terraform-provider-TYPE_VERSION_SHA256SUMS, the zips it lists (their sums
// are the ones the download answer gives), its .sig, and the protocol
// versions of the registry manifest it lists. A missing signature or manifest
// is an error: the Terraform Registry refuses such a release too.
//
// goreleaser sums the manifest under its release name but leaves it in dist
// under its own (terraform-registry-manifest.json, at the top of the
// repository): manifest is that file, read when dist lacks the release name,
// and its sum must be the one SHA256SUMS lists.
func loadRegistry(dist, namespace, typ string, key signingKey, manifest string) (*registry, error) {
	reg := &registry{namespace: namespace, typ: typ, dist: dist, key: key,
		releases: map[string]*release{}, files: map[string]bool{}}
	prefix := "terraform-provider-" + typ + "_"
	sums, err := filepath.Glob(filepath.Join(dist, prefix+"*_SHA256SUMS"))
	if err != nil {
		return nil, err
	}
	for _, path := range sums {
		name := filepath.Base(path)
		rel := &release{
			version:  strings.TrimSuffix(strings.TrimPrefix(name, prefix), "_SHA256SUMS"),
			shasums:  name,
			packages: map[string]pkg{},
		}
		listed, err := readSHA256SUMS(path)
		if err != nil {
			return nil, err
		}
		for file, sum := range listed {
			if file == prefix+rel.version+"_manifest.json" {
				path := filepath.Join(dist, file)
				if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) && manifest != "" {
					path = manifest
				}
				if rel.protocols, err = readManifest(path, sum); err != nil {
					return nil, err
				}
				continue
			}
			platform, ok := strings.CutPrefix(file, prefix+rel.version+"_")
			platform, zip := strings.CutSuffix(platform, ".zip")
			osName, arch, two := strings.Cut(platform, "_")
			if !ok || !zip || !two {
				return nil, fmt.Errorf("%s lists %s, not a %s%s_OS_ARCH.zip", name, file, prefix, rel.version)
			}
			rel.packages[platform] = pkg{OS: osName, Arch: arch, Filename: file, SHA256: sum}
			reg.files[file] = true
		}
		if len(rel.protocols) == 0 {
			return nil, fmt.Errorf("%s lists no %s%s_manifest.json with protocol_versions", name, prefix, rel.version)
		}
		if len(rel.packages) == 0 {
			return nil, fmt.Errorf("%s lists no zip", name)
		}
		for _, f := range []string{name, name + ".sig"} {
			if _, err := os.Stat(filepath.Join(dist, f)); err != nil {
				return nil, fmt.Errorf("release %s: %w", rel.version, err)
			}
			reg.files[f] = true
		}
		reg.releases[rel.version] = rel
	}
	if len(reg.releases) == 0 {
		return nil, fmt.Errorf("no %s*_SHA256SUMS in %s: build a release or a snapshot first (make release-check)", prefix, dist)
	}
	return reg, nil
}

// readSHA256SUMS reads "HEX  NAME" lines (sha256sum's format) into a map by name.
func readSHA256SUMS(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sums := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(sum) != 64 {
			return nil, fmt.Errorf("%s: line %q is not \"SHA256  NAME\"", path, sc.Text())
		}
		sums[name] = sum
	}
	return sums, sc.Err()
}

// readManifest returns the protocol versions of a terraform-registry-manifest.json
// whose SHA-256 is sum.
func readManifest(path, sum string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if got := sha256.Sum256(data); hex.EncodeToString(got[:]) != sum {
		return nil, fmt.Errorf("%s: SHA-256 %x, not the %s that SHA256SUMS lists", path, got, sum)
	}
	var m struct {
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m.Metadata.ProtocolVersions, nil
}

func (reg *registry) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	base := "/v1/providers/" + reg.namespace + "/" + reg.typ + "/"
	switch path := r.URL.Path; {
	case path == "/.well-known/terraform.json":
		writeJSON(w, map[string]string{"providers.v1": "/v1/providers/"})
	case path == base+"versions":
		reg.versions(w)
	case strings.HasPrefix(path, base):
		// VERSION/download/OS/ARCH
		parts := strings.Split(strings.TrimPrefix(path, base), "/")
		if len(parts) != 4 || parts[1] != "download" {
			http.NotFound(w, r)
			return
		}
		reg.download(w, r, parts[0], parts[2], parts[3])
	case strings.HasPrefix(path, "/files/"):
		name := strings.TrimPrefix(path, "/files/")
		if !reg.files[name] { // only what a release lists: no other file of the machine
			http.NotFound(w, r)
			return
		}
		http.ServeFile(w, r, filepath.Join(reg.dist, name))
	default:
		http.NotFound(w, r)
	}
}

func (reg *registry) versions(w http.ResponseWriter) {
	type platform struct {
		OS   string `json:"os"`
		Arch string `json:"arch"`
	}
	type version struct {
		Version   string     `json:"version"`
		Protocols []string   `json:"protocols"`
		Platforms []platform `json:"platforms"`
	}
	out := struct {
		Versions []version `json:"versions"`
	}{Versions: []version{}}
	for _, rel := range reg.releases {
		v := version{Version: rel.version, Protocols: rel.protocols}
		for _, p := range rel.packages {
			v.Platforms = append(v.Platforms, platform{OS: p.OS, Arch: p.Arch})
		}
		sort.Slice(v.Platforms, func(i, j int) bool {
			return v.Platforms[i].OS+"_"+v.Platforms[i].Arch < v.Platforms[j].OS+"_"+v.Platforms[j].Arch
		})
		out.Versions = append(out.Versions, v)
	}
	sort.Slice(out.Versions, func(i, j int) bool { return out.Versions[i].Version < out.Versions[j].Version })
	writeJSON(w, out)
}

func (reg *registry) download(w http.ResponseWriter, r *http.Request, version, osName, arch string) {
	rel, ok := reg.releases[version]
	if !ok {
		http.NotFound(w, r)
		return
	}
	p, ok := rel.packages[osName+"_"+arch]
	if !ok {
		http.NotFound(w, r)
		return
	}
	// Absolute URLs on the host the CLI asked, as the Terraform Registry gives them.
	files := "https://" + r.Host + "/files/"
	writeJSON(w, map[string]any{
		"protocols":             rel.protocols,
		"os":                    p.OS,
		"arch":                  p.Arch,
		"filename":              p.Filename,
		"download_url":          files + p.Filename,
		"shasums_url":           files + rel.shasums,
		"shasums_signature_url": files + rel.shasums + ".sig",
		"shasum":                p.SHA256,
		"signing_keys": map[string]any{
			"gpg_public_keys": []signingKey{reg.key},
		},
	})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
