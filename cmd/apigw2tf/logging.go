package main

import (
	"fmt"
	"io"
	"log/slog"

	"github.com/spf13/pflag"

	"github.com/apigw2tf/apigw2tf/internal/engine"
)

// logFlags are --log-level and --log-format. Every command accepts them:
// the root declares them for all; discover, generate and audit (which share
// discover's flag set) and the emulator (default info, one line per request
// at debug) declare their own, with the same rules.
type logFlags struct {
	level, format string
}

func (l *logFlags) register(fs *pflag.FlagSet, defaultLevel string) {
	fs.StringVar(&l.level, "log-level", defaultLevel, "log level: debug, info, warn or error")
	fs.StringVar(&l.format, "log-format", "text", "log format: text or json")
}

// logger writes to w at the chosen level and format.
func (l *logFlags) logger(w io.Writer) (*slog.Logger, error) {
	level, err := parseLogLevel(l.level)
	if err != nil {
		return nil, err
	}
	ho := &slog.HandlerOptions{Level: level}
	switch l.format {
	case "text":
		return slog.New(slog.NewTextHandler(w, ho)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, ho)), nil
	}
	return nil, fmt.Errorf("--log-format %q must be text or json", l.format)
}

func parseLogLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("--log-level %q must be debug, info, warn or error", s)
	}
	return l, nil
}

// logEngineCommands logs each engine command line r runs, at debug level,
// so --log-level debug shows what verify, generate, audit and demo asked of
// the engine.
func logEngineCommands(r *engine.Runner, log *slog.Logger) {
	r.TF.SetLogger(slog.NewLogLogger(log.Handler(), slog.LevelDebug))
}
