#!/usr/bin/env bash
# Starts the machine's PostgreSQL 15 cluster and makes a database the tests
# can use over the local socket as the current user. Prints why it cannot,
# and exits non-zero, when there is no cluster to start.
set -euo pipefail
if ! pg_lsclusters 2>/dev/null | grep -q .; then
	echo "postgres.sh: no PostgreSQL cluster on this machine" >&2
	exit 1
fi
version=$(pg_lsclusters -h | awk 'NR==1 {print $1}')
cluster=$(pg_lsclusters -h | awk 'NR==1 {print $2}')
pg_ctlcluster "$version" "$cluster" start 2>/dev/null || true
for _ in $(seq 1 50); do
	pg_isready -q -h /var/run/postgresql && break
	sleep 0.2
done
user=$(id -un)
if [[ "$user" == root ]]; then
	su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='root'\"" | grep -q 1 ||
		su postgres -c "createuser -s root"
fi
psql -h /var/run/postgresql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='payhost_test'" | grep -q 1 ||
	createdb -h /var/run/postgresql payhost_test
echo "postgres.sh: PostgreSQL $version/$cluster is up; database payhost_test is ready"
