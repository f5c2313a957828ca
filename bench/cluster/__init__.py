"""`make cluster`: the app on several hosts of one machine (network namespaces), broken one fault at a time.

Run as root. It builds, inside namespaces of its own on 10.77.0.0/24 (no address outside them but loopback):
two app hosts (`python -m config.server`), a worker host (Celery), a data host with its own PostgreSQL
(initdb in a temporary folder) and its own redis-server, and an edge host with nginx configured as
docs/deploy.md says, where the students connect. The students are protocol clients of the browser protocol on
the offline tutor. Faults, one at a time: kill -9 an app host's Daphne; cut PostgreSQL for 6 s, twice (its
network: packets dropped; the server: connections closed and refused); stop Redis for 10 s while browsers
reconnect; kill the worker mid-report. Per fault it prints the turns sent, stored, lost and
duplicated, the seconds until every student was live again after the fault ended, and what the students saw;
and a scrape of /metrics taken during the run. Namespaces and processes are removed on exit, failure included.

`python -m bench.cluster` (CLUSTER_SHORT=1: fewer students and shorter phases, for CI).
"""
