package core

import (
	"encoding/json"
	"fmt"

	"github.com/heimnetz/heimnetz/settings"
)

// storedSettings reads the settings an owner saved on the page or through
// the API; ok is false when there are none (or they no longer validate,
// which is logged, and the config file's settings stay).
func (m *Manager) storedSettings() (s settings.Settings, ok bool) {
	data, ok, err := m.db.Settings()
	if err != nil {
		m.log.Error("stored settings unreadable; using the config file's", "err", err)
		return s, false
	}
	if !ok {
		return s, false
	}
	if err := json.Unmarshal(data, &s); err != nil {
		m.log.Error("stored settings unreadable; using the config file's", "err", err)
		return s, false
	}
	if err := s.Validate(); err != nil {
		m.log.Error("stored settings out of range; using the config file's", "err", err)
		return s, false
	}
	return s, true
}

// loadSettings applies the stored settings over the config file's: a
// setting changed on the page or through the API wins until it is changed
// there again. It logs which source won.
func (m *Manager) loadSettings() {
	s, ok := m.storedSettings()
	if !ok {
		m.log.Info("settings from the config file", "settings", fmt.Sprintf("%+v", m.cfg.Settings))
	} else {
		if s != m.cfg.Settings {
			m.log.Info("settings saved from the page or API override the config file's",
				"stored", fmt.Sprintf("%+v", s), "config_file", fmt.Sprintf("%+v", m.cfg.Settings))
		} else {
			m.log.Info("settings saved from the page or API, equal to the config file's")
		}
		m.cfg.Settings = s
	}
	m.level.SetName(m.cfg.LogLevel)
	m.db.SetMaxEvents(m.cfg.EventRetention)
}

// applySettings stores s and then applies it; s must have passed
// Validate. A store failure leaves the running settings unchanged, so
// what runs is always what the next start will run with.
func (m *Manager) applySettings(s settings.Settings) error {
	data, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("settings: %w", err)
	}
	m.settingsMu.Lock()
	defer m.settingsMu.Unlock()
	if err := m.db.PutSettings(data); err != nil {
		return fmt.Errorf("settings not saved, nothing changed: %w", err)
	}
	m.level.SetName(s.LogLevel)
	m.db.SetMaxEvents(s.EventRetention)
	m.mu.Lock()
	m.cfg.Settings = s
	m.mu.Unlock()
	return nil
}
