package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	quiet    func(echo.Context) bool
}

func newHTTPMetrics(reg *prometheus.Registry, quiet func(echo.Context) bool) *httpMetrics {
	m := &httpMetrics{quiet: quiet,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pulse_http_requests_total", Help: "HTTP requests by route and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "pulse_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: prometheus.DefBuckets,
		}, []string{"method", "route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// middleware counts requests by route, except on answer routes: a counter
// that moves when someone answers, scraped every few seconds, would date
// each answer.
func (m *httpMetrics) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err) // so the status below is the one the client gets
		}
		if m.quiet(c) {
			return nil
		}
		// The route template, never the raw path, keeps label values bounded.
		route := c.Path()
		if route == "" || c.Response().Status == 404 && route == "/*" {
			route = "unmatched"
		}
		method := c.Request().Method
		m.requests.WithLabelValues(method, route, strconv.Itoa(c.Response().Status)).Inc()
		m.duration.WithLabelValues(method, route).Observe(time.Since(start).Seconds())
		return nil
	}
}

// MetricsHandler serves the Prometheus metrics. It is not on the API's
// listener: serve puts it on PULSE_METRICS_ADDR (loopback by default), so
// nobody who can reach the dashboard can watch activity through it.
func (s *Server) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(s.deps.Metrics, promhttp.HandlerOpts{})
}
