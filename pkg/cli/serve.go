package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/reqtrail/reqtrail/pkg/site"
)

// ServeOptions are the inputs of `reqtrail serve`.
type ServeOptions struct {
	App *App
	// Addr is the HOST:PORT to listen on.
	Addr string
}

// NewCmdServe builds `reqtrail serve`.
func NewCmdServe(app *App) *cobra.Command {
	o := &ServeOptions{App: app}
	cmd := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:8080]",
		Short: "Serve the report site on localhost and rebuild it when records change",
		Long: `Serve builds the report site of the working tree in memory, serves it over HTTP, and
rebuilds it whenever a record, reqtrail.yaml, a traced source file or the git HEAD changes;
the open page reloads itself after each rebuild.

It listens on the loopback interface (127.0.0.1:8080) unless --addr says otherwise: the site
shows every requirement of the project, so listening on all interfaces (--addr :8080) lets
anyone on the network read them. --addr 127.0.0.1:0 picks a free port.

Stop it with Ctrl-C. Exit codes: 0 stopped; 2 it could not start (bad address, port in use,
unreadable project).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return serveRun(cmd.Context(), o) },
	}
	cmd.Flags().StringVar(&o.Addr, "addr", "127.0.0.1:8080", "listen on `HOST:PORT` (loopback by default)")
	return cmd
}

// serveRun serves until ctx is done or the process is interrupted.
func serveRun(ctx context.Context, o *ServeOptions) error {
	app := o.App
	root, gitTop, err := app.Project("")
	if err != nil {
		return err
	}
	srv := &site.Server{}
	cache := &historyCache{}
	// Each rebuild re-renders only the pages the change touches (site.Incremental).
	var inc site.Incremental
	// The touched record pages are served as soon as they are rendered, before the list
	// pages, dashboard, matrix and search data.
	var early time.Duration
	var buildStart time.Time
	inc.Early = func(f *site.Files) {
		srv.Set(f)
		early = app.Now().Sub(buildStart)
	}
	build := func(c site.Change) (site.IncrementalStats, error) {
		buildStart, early = app.Now(), 0
		if cache.tree != nil {
			cache.tree.Changed(c)
		}
		b, err := app.prepareSite(siteFlags{}, cache)
		if err != nil {
			return site.IncrementalStats{}, err
		}
		b.opts.LiveReload = true
		if err := b.graph(); err != nil {
			return site.IncrementalStats{}, err
		}
		files, stats, err := inc.Build(b.repo, b.opts)
		if err != nil {
			return stats, err
		}
		srv.Set(files)
		return stats, nil
	}
	if _, err := build(site.Change{All: true}); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return Usagef("cannot listen on %s: %v (choose another address with --addr, e.g. 127.0.0.1:0 for any free port)", o.Addr, unwrapNet(err))
	}
	defer ln.Close()
	if host, _, err := net.SplitHostPort(ln.Addr().String()); err == nil {
		if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
			fmt.Fprintf(app.Stderr, "reqtrail: warning: listening on %s, not only on this machine: anyone who can reach it can read every requirement\n", ln.Addr())
		}
	}
	srv.Listening(ln.Addr().String())
	fmt.Fprintf(app.Stdout, "serving the report site at http://%s/ (Ctrl-C to stop)\n", ln.Addr())

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	gitDir := ""
	if gitTop != "" {
		if info, err := os.Stat(filepath.Join(gitTop, ".git")); err == nil && info.IsDir() {
			gitDir = filepath.Join(gitTop, ".git")
		}
	}
	go func() {
		err := site.Watch(ctx, root, site.WatchOptions{
			GitDir: gitDir,
			// Skip the folders a site was written to (public/ and the like).
			Skip: func(dir string) bool {
				_, err := os.Stat(filepath.Join(dir, site.ManifestName))
				return err == nil
			},
		}, func(c site.Change) {
			start := app.Now()
			stats, err := build(c)
			if err != nil {
				fmt.Fprintf(app.Stderr, "reqtrail: rebuilding the site: %v (still serving the last build)\n", err)
				return
			}
			if stats.Full {
				fmt.Fprintf(app.Stdout, "rebuilt %d pages in %.2fs\n", stats.Pages, app.Now().Sub(start).Seconds())
			} else {
				fmt.Fprintf(app.Stdout, "updated %d pages (%d changed %s) in %.2fs; record pages shown after %.2fs\n", stats.Pages, stats.Changed, plural(stats.Changed, "record", "records"), app.Now().Sub(start).Seconds(), early.Seconds())
			}
		})
		if err != nil {
			fmt.Fprintf(app.Stderr, "reqtrail: cannot watch %s for changes: %v; the site will not rebuild\n", root, err)
		}
	}()
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
	}
	return nil
}

// unwrapNet shortens a net.OpError to its cause.
func unwrapNet(err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Err
	}
	return err
}
