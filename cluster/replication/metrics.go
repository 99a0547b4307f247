package replication

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
)

// Collector returns a prometheus.Collector exposing the queues' figures
// (labeled by peer and queue) and the receiver's counters. The node
// registers it on its registry; it reads Stats at scrape time, so it adds
// no cost between scrapes.
func (m *Manager) Collector() prometheus.Collector { return &collector{m: m} }

var (
	labels       = []string{"peer", "queue"}
	descWaiting  = prometheus.NewDesc("quorumdb_replication_queue_waiting", "Entries waiting for the peer's acknowledgement.", labels, nil)
	descOldest   = prometheus.NewDesc("quorumdb_replication_queue_oldest_age_seconds", "Age of the oldest waiting entry.", labels, nil)
	descConn     = prometheus.NewDesc("quorumdb_replication_queue_connected", "1 while the queue's stream is open.", labels, nil)
	descDeliv    = prometheus.NewDesc("quorumdb_replication_queue_delivered_total", "Entries acknowledged by the peer.", labels, nil)
	descFailed   = prometheus.NewDesc("quorumdb_replication_queue_failed_total", "Failed delivery attempts.", labels, nil)
	descReceived = prometheus.NewDesc("quorumdb_replication_received_events_total", "Events received, by outcome (applied, duplicate, unknown_kind).", []string{"outcome"}, nil)
	descRejected = prometheus.NewDesc("quorumdb_replication_rejected_total", "Negative acknowledgements sent (handler errors).", nil, nil)
)

type collector struct{ m *Manager }

func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descWaiting, descOldest, descConn, descDeliv, descFailed, descReceived, descRejected} {
		ch <- d
	}
}

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	for _, s := range c.m.Stats() {
		peer := strconv.Itoa(s.Peer)
		conn := 0.0
		if s.Connected {
			conn = 1
		}
		ch <- prometheus.MustNewConstMetric(descWaiting, prometheus.GaugeValue, float64(s.Waiting), peer, s.Queue)
		ch <- prometheus.MustNewConstMetric(descOldest, prometheus.GaugeValue, s.OldestAge.Seconds(), peer, s.Queue)
		ch <- prometheus.MustNewConstMetric(descConn, prometheus.GaugeValue, conn, peer, s.Queue)
		ch <- prometheus.MustNewConstMetric(descDeliv, prometheus.CounterValue, float64(s.Delivered), peer, s.Queue)
		ch <- prometheus.MustNewConstMetric(descFailed, prometheus.CounterValue, float64(s.Failed), peer, s.Queue)
	}
	r := c.m.receiver
	ch <- prometheus.MustNewConstMetric(descReceived, prometheus.CounterValue, float64(r.applied.Load()), "applied")
	ch <- prometheus.MustNewConstMetric(descReceived, prometheus.CounterValue, float64(r.duplicates.Load()), "duplicate")
	ch <- prometheus.MustNewConstMetric(descReceived, prometheus.CounterValue, float64(r.unknown.Load()), "unknown_kind")
	ch <- prometheus.MustNewConstMetric(descRejected, prometheus.CounterValue, float64(r.rejected.Load()))
}
