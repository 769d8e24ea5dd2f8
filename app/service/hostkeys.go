package service

import (
	"context"
	"fmt"
	"time"

	"filesync/data"
	"filesync/sync/hostkeys"
)

// HostKey is what a computer offers as its host key, beside what is pinned.
type HostKey struct {
	Keys        string // authorized_keys lines
	Fingerprint string // SHA256 fingerprint of Keys
	Pinned      string // fingerprint of the pinned keys; "" when none is pinned
}

// Changed reports whether a key was pinned and the computer now offers another.
func (k HostKey) Changed() bool { return k.Pinned != "" && k.Pinned != k.Fingerprint }

// Fingerprint is the SHA256 fingerprint of host keys as stored (authorized_keys lines).
func Fingerprint(keys string) string { return hostkeys.Fingerprint(keys) }

// ScanHostKey asks c for its host keys, at the host name and port ssh's configuration
// gives it.
func (s *Service) ScanHostKey(ctx context.Context, c data.Computer) (HostKey, error) {
	if c.Local {
		return HostKey{}, badInputf(Hint{}, "%s is a local folder: it has no host key", c.Name)
	}
	ctx, cancel := context.WithTimeout(ctx, ConnectTimeout+5*time.Second)
	defer cancel()
	rc, err := s.resolve(ctx, c)
	if err != nil {
		return HostKey{}, err
	}
	keys, err := hostkeys.Scan(ctx, rc.HostName, rc.Port, ConnectTimeout)
	if err != nil {
		return HostKey{}, err
	}
	return HostKey{Keys: keys, Fingerprint: hostkeys.Fingerprint(keys), Pinned: hostkeys.Fingerprint(c.HostKeys)}, nil
}

// Trust pins keys as the host keys of the computer called name.
func (s *Service) Trust(name, keys string) error {
	if _, err := s.Computer(name); err != nil {
		return err
	}
	if err := s.store.SetHostKeys(name, keys); err != nil {
		return fmt.Errorf("trust %s: %w", name, err)
	}
	return s.pinKnownHosts()
}

// pinKnownHosts rewrites the app's known_hosts from the keys pinned in the store, so the
// file can never disagree with what the user trusted.
func (s *Service) pinKnownHosts() error {
	stored, err := s.store.Computers()
	if err != nil {
		return err
	}
	pinned := map[string]string{}
	for _, c := range stored {
		if c.HostKeys != "" {
			pinned[engineComputer(c).HostKeyAlias()] = c.HostKeys
		}
	}
	return hostkeys.WriteKnownHosts(s.paths.KnownHosts, pinned)
}
