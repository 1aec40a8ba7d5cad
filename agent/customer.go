package agent

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// Languages Dunner writes in.
var Languages = []string{"en", "es", "de"}

// ValidLanguage reports whether Dunner can write in lang.
func ValidLanguage(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// Review modes of a customer.
const (
	ReviewDefault = "default" // the level decides
	ReviewAlways  = "always"
	ReviewNever   = "never"
)

// Contact is one address of a customer, by role (billing, escalation, …).
type Contact struct {
	Email         string `json:"email" yaml:"email"`
	Role          string `json:"role" yaml:"role"`
	Undeliverable bool   `json:"undeliverable,omitempty" yaml:"-"`
}

// CustomerRecord is customer master data from one source (the imported
// master, the config, the defaults). Empty fields are unset, so sources can
// be laid over each other field by field.
type CustomerRecord struct {
	ID        string            `json:"customer_id"`
	Name      string            `json:"name,omitempty"`
	Language  string            `json:"language,omitempty"`
	Timezone  string            `json:"timezone,omitempty"`
	Policy    string            `json:"policy,omitempty"`
	Review    string            `json:"review,omitempty"`
	DoNotDun  *bool             `json:"do_not_dun,omitempty"`
	Collector string            `json:"collector,omitempty"`
	Contacts  []Contact         `json:"contacts,omitempty"`
	Templates map[string]string `json:"templates,omitempty"`
	// Undeliverable lists addresses that bounced; set by the store.
	Undeliverable []string `json:"undeliverable,omitempty"`

	Line int `json:"-"`
}

// Customer is the merged view the rules use.
type Customer struct {
	ID        string
	Name      string
	Language  string
	Location  *time.Location
	Policy    string
	Review    string
	DoNotDun  bool
	Collector string
	Contacts  []Contact
	Templates map[string]string // template name → override name
}

// Over lays o over r: every field o sets wins.
func (r CustomerRecord) Over(o *CustomerRecord) CustomerRecord {
	if o == nil {
		return r
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&r.Name, o.Name)
	set(&r.Language, o.Language)
	set(&r.Timezone, o.Timezone)
	set(&r.Policy, o.Policy)
	set(&r.Review, o.Review)
	set(&r.Collector, o.Collector)
	if o.DoNotDun != nil {
		r.DoNotDun = o.DoNotDun
	}
	if o.Contacts != nil {
		r.Contacts = o.Contacts
	}
	if o.Templates != nil {
		r.Templates = o.Templates
	}
	if r.ID == "" {
		r.ID = o.ID
	}
	return r
}

// zones caches loaded time zones: LoadLocation reads the zone database each
// time and a run asks for one per customer.
var zones sync.Map // name → *time.Location

// LoadZone returns the named IANA time zone.
func LoadZone(name string) (*time.Location, error) {
	if l, ok := zones.Load(name); ok {
		return l.(*time.Location), nil
	}
	l, err := time.LoadLocation(name)
	if err != nil || name == "" || name == "Local" {
		return nil, fmt.Errorf("unknown time zone %q", name)
	}
	zones.Store(name, l)
	return l, nil
}

// Resolve merges the sources of one customer: imported master data, then
// the config's entry over it, then the defaults under both.
func Resolve(id string, imported, configured *CustomerRecord, defaults CustomerRecord) (Customer, error) {
	r := CustomerRecord{ID: id}.Over(imported).Over(configured)
	d := defaults
	if r.Name == "" {
		r.Name = d.Name
	}
	if r.Language == "" {
		r.Language = d.Language
	}
	if r.Timezone == "" {
		r.Timezone = d.Timezone
	}
	if r.Policy == "" {
		r.Policy = d.Policy
	}
	if r.Review == "" {
		r.Review = d.Review
	}
	if r.Review == "" {
		r.Review = ReviewDefault
	}
	if r.Language == "" {
		r.Language = "en"
	}
	if r.Timezone == "" {
		r.Timezone = "UTC"
	}
	loc, err := LoadZone(r.Timezone)
	if err != nil {
		return Customer{}, fmt.Errorf("customer %s: %w", id, err)
	}
	if !ValidLanguage(r.Language) {
		return Customer{}, fmt.Errorf("customer %s: unsupported language %q", id, r.Language)
	}
	c := Customer{
		ID: id, Name: r.Name, Language: r.Language, Location: loc, Policy: r.Policy,
		Review: r.Review, Collector: r.Collector, Templates: r.Templates,
	}
	var bounced []string
	if imported != nil {
		bounced = imported.Undeliverable
	}
	for _, ct := range r.Contacts {
		for _, b := range bounced {
			if strings.EqualFold(ct.Email, b) {
				ct.Undeliverable = true
			}
		}
		c.Contacts = append(c.Contacts, ct)
	}
	if r.DoNotDun != nil {
		c.DoNotDun = *r.DoNotDun
	}
	return c, nil
}

// Recipients returns where a notice goes: the deliverable billing contacts,
// or every deliverable contact when none has that role.
func (c *Customer) Recipients() []string {
	var billing, all []string
	for _, ct := range c.Contacts {
		if ct.Undeliverable || ct.Email == "" {
			continue
		}
		all = append(all, ct.Email)
		if ct.Role == "billing" {
			billing = append(billing, ct.Email)
		}
	}
	if len(billing) > 0 {
		return billing
	}
	return all
}
