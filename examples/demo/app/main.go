// The demo app: a page naming the environment, the colour and the version that answer, and /health.
// It listens on 127.0.0.1:$PORT, and stops gracefully on SIGTERM (requests in flight are answered).
package main

import (
	"context"
	"fmt"
	"html"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"
)

// version is what the demo changes between its two deploys of main.
const version = "1"

// settings is the app's configuration: Berth gives it through the environment (see ops/start.sh).
type settings struct {
	environment string // BERTH_ENVIRONMENT
	color       string // BERTH_COLOR
	basePath    string // the route of the environment in the shared nginx, an output of the app stack
}

func handler(s settings) http.Handler {
	var served atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		n := served.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!doctype html><title>Berth demo</title>\n"+
			"<p>Hello from %s: version %s, served by %s (request %d of this colour).</p>\n"+
			"<p><a href=\"%shealth\">health</a></p>\n",
			html.EscapeString(s.environment), version, html.EscapeString(s.color), n, html.EscapeString(s.basePath))
	})
	return mux
}

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		log.Fatal("PORT is not set")
	}
	s := settings{os.Getenv("ENVIRONMENT"), os.Getenv("COLOR"), os.Getenv("BASE_PATH")}
	if s.basePath == "" {
		s.basePath = "/"
	}
	listener, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", port))
	if err != nil {
		log.Fatal(err)
	}
	server := &http.Server{Handler: handler(s), ReadHeaderTimeout: 5 * time.Second}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-stop
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		server.Shutdown(ctx)
	}()
	log.Printf("version %s of %s (%s) listening on %s", version, s.environment, s.color, listener.Addr())
	if err := server.Serve(listener); err != http.ErrServerClosed {
		log.Fatal(err)
	}
	log.Printf("stopped")
}
