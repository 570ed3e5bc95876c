package check

import "path"

// SARIFSchema is the JSON schema URI of SARIF 2.1.0 written into reports.
const SARIFSchema = "https://json.schemastore.org/sarif-2.1.0.json"

// SARIFLog is a SARIF 2.1.0 log: the subset of the format heimnetz writes.
type SARIFLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []SARIFRun `json:"runs"`
}

// SARIFRun is one run of the checker.
type SARIFRun struct {
	Tool    SARIFTool     `json:"tool"`
	Results []SARIFResult `json:"results"`
}

// SARIFTool names the checker and lists its rules.
type SARIFTool struct {
	Driver SARIFDriver `json:"driver"`
}

// SARIFDriver is the tool component that produced the results.
type SARIFDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri,omitempty"`
	Rules          []SARIFRule `json:"rules"`
}

// SARIFRule is a reportingDescriptor for one rule.
type SARIFRule struct {
	ID                   string            `json:"id"`
	Name                 string            `json:"name"`
	ShortDescription     SARIFText         `json:"shortDescription"`
	Help                 SARIFText         `json:"help"`
	DefaultConfiguration SARIFConfig       `json:"defaultConfiguration"`
	Properties           map[string]string `json:"properties,omitempty"`
}

// SARIFConfig is a rule's default level.
type SARIFConfig struct {
	Level string `json:"level"`
}

// SARIFText is a message or description.
type SARIFText struct {
	Text string `json:"text"`
}

// SARIFResult is one finding.
type SARIFResult struct {
	RuleID    string            `json:"ruleId"`
	RuleIndex int               `json:"ruleIndex"`
	Level     string            `json:"level"`
	Message   SARIFText         `json:"message"`
	Locations []SARIFLocation   `json:"locations"`
	Props     map[string]string `json:"properties,omitempty"`
}

// SARIFLocation places a result in a file.
type SARIFLocation struct {
	PhysicalLocation SARIFPhysical `json:"physicalLocation"`
}

// SARIFPhysical is a file and a region in it.
type SARIFPhysical struct {
	ArtifactLocation SARIFArtifact `json:"artifactLocation"`
	Region           SARIFRegion   `json:"region"`
}

// SARIFArtifact is a file by URI.
type SARIFArtifact struct {
	URI string `json:"uri"`
}

// SARIFRegion is a 1-based start position.
type SARIFRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
}

// Level maps a severity to a SARIF level.
func (s Severity) Level() string {
	switch {
	case s >= High:
		return "error"
	case s == Medium:
		return "warning"
	}
	return "note"
}

// securityScore maps a severity to the security-severity property GitHub
// code scanning reads (0.0–10.0).
var securityScore = map[Severity]string{Info: "0.0", Low: "2.0", Medium: "5.0", High: "8.0", Critical: "9.5"}

// SARIF converts reports to one SARIF log with one run. File URIs are
// relative: "main.lua" for one report, "<plugin>/main.lua" for several.
func SARIF(reports []*Report, version string) SARIFLog {
	driver := SARIFDriver{Name: "heimnetz plugin check", Version: version, InformationURI: "https://github.com/heimnetz/heimnetz"}
	index := map[string]int{}
	for i, r := range Rules() {
		index[r.ID] = i
		driver.Rules = append(driver.Rules, SARIFRule{
			ID: r.ID, Name: r.Name, ShortDescription: SARIFText{r.Summary}, Help: SARIFText{r.Fix},
			DefaultConfiguration: SARIFConfig{r.Severity.Level()},
			Properties:           map[string]string{"security-severity": securityScore[r.Severity]},
		})
	}
	run := SARIFRun{Tool: SARIFTool{driver}, Results: []SARIFResult{}}
	for _, r := range reports {
		for _, f := range r.Findings {
			uri := f.File
			if len(reports) > 1 {
				uri = path.Join(r.Plugin, f.File)
			}
			run.Results = append(run.Results, SARIFResult{
				RuleID: f.Rule, RuleIndex: index[f.Rule], Level: f.Severity.Level(),
				Message: SARIFText{f.Message + " (fix: " + f.Fix + ")"},
				Locations: []SARIFLocation{{PhysicalLocation: SARIFPhysical{
					ArtifactLocation: SARIFArtifact{URI: uri},
					Region:           SARIFRegion{StartLine: max(f.Line, 1), StartColumn: max(f.Column, 1)},
				}}},
				Props: map[string]string{"severity": f.Severity.String()},
			})
		}
	}
	return SARIFLog{Schema: SARIFSchema, Version: "2.1.0", Runs: []SARIFRun{run}}
}
