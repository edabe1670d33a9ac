package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

// Config is the whole run configuration, after flags, NEWSFACTS_* environment variables, the
// newsfacts.yaml file and the defaults have been merged, in that order of precedence.
type Config struct {
	Out         string        `mapstructure:"out"`
	Workers     int           `mapstructure:"workers"`
	PubDate     string        `mapstructure:"pub-date"`
	InputFormat string        `mapstructure:"input-format"`
	Format      string        `mapstructure:"format"`
	LogFormat   string        `mapstructure:"log-format"`
	Diff        bool          `mapstructure:"diff"`
	JSON        bool          `mapstructure:"json"`
	Run         string        `mapstructure:"run"`
	Gold        []string      `mapstructure:"gold"`
	Min         []string      `mapstructure:"min"`
	Show        int           `mapstructure:"show"`
	Kinds       string        `mapstructure:"kinds"`
	EntityPrec  bool          `mapstructure:"entity-precision"`
	CPUProfile  string        `mapstructure:"cpuprofile"` // bench: where to write the pipeline's CPU profile
	Scaling     int           `mapstructure:"scaling"`    // bench: rounds of one worker against --workers
	Compare     DiffConfig    `mapstructure:",squash"`    // diff's baseline and report (diffcmd.go)
	Watch       WatchConfig   `mapstructure:",squash"`    // --watch on explain and rules test (watch.go)
	Clean       CleanConfig   `mapstructure:"clean"`
	Segment     SegmentConfig `mapstructure:"segment"`
	Batch       BatchConfig   `mapstructure:",squash"` // run's budgets, record and shards (batch.go)
	Rules       RulesConfig   `mapstructure:"rules"`
}

// RulesConfig adds rule directories over the embedded defaults and switches rules off by id.
type RulesConfig struct {
	Paths   []string `mapstructure:"paths"`
	Disable []string `mapstructure:"disable"`
}

// DiffConfig is what `newsfacts diff` compares against and how it reports.
type DiffConfig struct {
	Against        []string `mapstructure:"against"`
	AgainstDisable []string `mapstructure:"against-disable"`
	Examples       int      `mapstructure:"examples"`
	FailOnChange   bool     `mapstructure:"fail-on-change"`
}

// WatchConfig: re-run explain or rules test when a rule file changes.
type WatchConfig struct {
	Watch    bool          `mapstructure:"watch"`
	Interval time.Duration `mapstructure:"watch-interval"`
}

// CleanConfig switches cleaning operations off by name (see `newsfacts clean --help`).
type CleanConfig struct {
	Disable []string `mapstructure:"disable"`
}

// SegmentConfig chooses the segmentation dictionaries: gse's simplified-Chinese one always,
// its traditional-Chinese one too when Traditional is set (papers of Hong Kong, Taiwan, Macau).
type SegmentConfig struct {
	Traditional bool `mapstructure:"traditional"`
}

func defaults(v *viper.Viper) {
	v.SetDefault("out", "out")
	v.SetDefault("workers", runtime.NumCPU())
	v.SetDefault("pub-date", "")
	v.SetDefault("input-format", "text")
	v.SetDefault("format", "")
	v.SetDefault("log-format", "text")
	v.SetDefault("diff", false)
	v.SetDefault("clean.disable", []string{})
	v.SetDefault("segment.traditional", false)
	v.SetDefault("rules.paths", []string{})
	v.SetDefault("rules.disable", []string{})
}

// usageError marks a mistake in how the command was called: exit code 2.
type usageError struct{ error }

// loadConfig merges the sources of configuration for one command. The config file is the one
// --config names, else ./newsfacts.yaml when it exists.
func loadConfig(cmd *cobra.Command) (Config, string, error) {
	v := viper.New()
	defaults(v)
	v.SetEnvPrefix("NEWSFACTS")
	v.SetEnvKeyReplacer(strings.NewReplacer("-", "_", ".", "_"))
	v.AutomaticEnv()
	path, _ := cmd.Flags().GetString("config")
	if path == "" {
		if _, err := os.Stat("newsfacts.yaml"); err == nil {
			path = "newsfacts.yaml"
		}
	}
	if path != "" {
		v.SetConfigFile(path)
		if err := v.ReadInConfig(); err != nil {
			return Config{}, "", usageError{fmt.Errorf("config file %s: %w", path, err)}
		}
	}
	var bindErr error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Name == "config" || f.Name == "help" {
			return
		}
		key := f.Name
		if key == "rules" {
			key = "rules.paths" // --rules DIR is rules.paths in newsfacts.yaml
		}
		if err := v.BindPFlag(key, f); err != nil {
			bindErr = err
		}
	})
	if bindErr != nil {
		return Config{}, "", bindErr
	}
	var c Config
	if err := v.UnmarshalExact(&c, viper.DecodeHook(mapstructure.ComposeDecodeHookFunc(
		dateAsString, mapstructure.StringToTimeDurationHookFunc(), mapstructure.StringToSliceHookFunc(",")))); err != nil {
		return Config{}, "", usageError{fmt.Errorf("configuration%s: %w", inFile(path), err)}
	}
	// NEWSFACTS_CLEAN_DISABLE=width,join_lines arrives as one string.
	for _, list := range []*[]string{&c.Clean.Disable, &c.Rules.Paths, &c.Rules.Disable} {
		if len(*list) == 1 && strings.Contains((*list)[0], ",") {
			*list = strings.Split((*list)[0], ",")
		}
	}
	if err := c.validate(); err != nil {
		return Config{}, "", usageError{err}
	}
	return c, path, nil
}

// dateAsString keeps a date in the config file (pub-date: 2023-11-01, which YAML reads as a
// timestamp) as the YYYY-MM-DD text it was written as.
func dateAsString(from, to reflect.Type, data any) (any, error) {
	if t, ok := data.(time.Time); ok && to.Kind() == reflect.String {
		return t.Format("2006-01-02"), nil
	}
	return data, nil
}

func inFile(path string) string {
	if path == "" {
		return ""
	}
	return " in " + path
}

func (c Config) validate() error {
	if c.PubDate != "" {
		if _, err := time.Parse("2006-01-02", c.PubDate); err != nil {
			return fmt.Errorf("--pub-date %q: want YYYY-MM-DD", c.PubDate)
		}
	}
	if c.Workers < 1 {
		return fmt.Errorf("--workers %d: want at least 1", c.Workers)
	}
	switch c.InputFormat {
	case "text", "jsonl":
	default:
		return fmt.Errorf("--input-format %q: want text or jsonl", c.InputFormat)
	}
	switch c.Format {
	case "", "jsonl", "table":
	default:
		return fmt.Errorf("--format %q: want jsonl or table", c.Format)
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		return fmt.Errorf("--log-format %q: want text or json", c.LogFormat)
	}
	known := map[string]bool{}
	for _, op := range cleanOps() {
		known[op] = true
	}
	for _, op := range c.Clean.Disable {
		if !known[op] {
			return fmt.Errorf("clean.disable: unknown operation %q (known: %s)", op, strings.Join(cleanOps(), ", "))
		}
	}
	return nil
}

// Hash identifies the configuration that shapes the output (not where it goes or how fast).
func (c Config) Hash() string {
	// Traditional is left out when off, so that the hash of every earlier configuration stays
	// what it was (and an archive is not processed again for nothing).
	b, _ := json.Marshal(struct {
		PubDate     string
		Clean       CleanConfig
		Traditional bool `json:",omitempty"`
	}{c.PubDate, c.Clean, c.Segment.Traditional}) // the rules are versioned on their own (rules_version)
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])[:12]
}

var errSomeFailed = errors.New("some inputs failed")
