// Command ferretdb runs FerretDB v1 embedded, as the local and test MongoDB-compatible
// server for NarrativeML.
//
// It exists because `go install github.com/FerretDB/FerretDB/cmd/ferretdb` produces a
// binary that panics without the generated build/version files (FerretDB issue #2982);
// the embeddable package skips that check, telemetry and the debug server.
//
// Settings come from flags, falling back to environment variables:
//
//	-listen-addr     FERRETDB_LISTEN_ADDR     TCP address to listen on (127.0.0.1:27017)
//	-handler         FERRETDB_HANDLER         backend: postgresql or sqlite (postgresql)
//	-postgresql-url  FERRETDB_POSTGRESQL_URL  postgres://postgres@127.0.0.1:5432/ferretdb
//	-sqlite-url      FERRETDB_SQLITE_URL      file:/absolute/existing/dir/ (must end with /)
//	-log-level       FERRETDB_LOG_LEVEL       debug, info, warn or error (info)
//
// It runs until SIGTERM or SIGINT and logs to stderr.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}

	return def
}

func main() {
	listenAddr := flag.String("listen-addr", envOr("FERRETDB_LISTEN_ADDR", "127.0.0.1:27017"),
		"TCP `address` to listen on [FERRETDB_LISTEN_ADDR]")
	handler := flag.String("handler", envOr("FERRETDB_HANDLER", "postgresql"),
		"backend `handler`: postgresql or sqlite [FERRETDB_HANDLER]")
	postgreSQLURL := flag.String("postgresql-url",
		envOr("FERRETDB_POSTGRESQL_URL", "postgres://postgres@127.0.0.1:5432/ferretdb"),
		"PostgreSQL `URL` for the postgresql handler [FERRETDB_POSTGRESQL_URL]")
	sqliteURL := flag.String("sqlite-url", envOr("FERRETDB_SQLITE_URL", ""),
		"SQLite `URL` (file:/absolute/existing/dir/) for the sqlite handler [FERRETDB_SQLITE_URL]")
	logLevel := flag.String("log-level", envOr("FERRETDB_LOG_LEVEL", "info"),
		"log `level`: debug, info, warn or error [FERRETDB_LOG_LEVEL]")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: invalid -log-level %q: %v\n", *logLevel, err)
		os.Exit(2)
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	if err := run(logger, *listenAddr, *handler, *postgreSQLURL, *sqliteURL); err != nil {
		logger.Error("ferretdb stopped with an error", slog.String("error", err.Error()))
		os.Exit(1)
	}
}

func run(logger *slog.Logger, listenAddr, handler, postgreSQLURL, sqliteURL string) error {
	cfg := ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: listenAddr},
		Logger:   logger,
		Handler:  handler,
	}

	switch handler {
	case "postgresql":
		cfg.PostgreSQLURL = postgreSQLURL
	case "sqlite":
		if sqliteURL == "" {
			return fmt.Errorf("-sqlite-url is required for the sqlite handler")
		}
		// FerretDB treats the URL as a directory and rejects it without the trailing slash.
		if !strings.HasSuffix(sqliteURL, "/") {
			sqliteURL += "/"
		}
		cfg.SQLiteURL = sqliteURL
	default:
		return fmt.Errorf("unknown -handler %q (want postgresql or sqlite)", handler)
	}

	f, err := ferretdb.New(&cfg)
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	// MongoDBURI() must not be called before Run has set up the listener, so log the
	// configured address instead.
	logger.Info("ferretdb starting", slog.String("listen", listenAddr), slog.String("handler", handler))

	err = f.Run(ctx)

	logger.Info("ferretdb stopped")

	return err
}
