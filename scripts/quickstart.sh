#!/usr/bin/env bash
# The quickstart in one command (`make quickstart`); needs only Go.
#
# Builds payhost and the provider plugins into ./bin, starts the gateway
# emulators (payhost sandbox), checks and locks examples/quickstart
# (payhost validate, payhost init), serves it (payhost serve), and runs
# the shop's demo (examples/quickstart/demo), which pays through each
# provider, refunds, and prints a summary. Everything it starts is
# stopped when it exits, however it exits. examples/quickstart/README.md
# explains each step.
#
# Optional environment:
#   QUICKSTART_DIR             work directory: the configuration's copy, the
#                              lock file, the database, the logs (./tmp/quickstart)
#   QUICKSTART_BIN             where the binaries are built (./bin)
#   QUICKSTART_PAYHOST_ADDR    payhost serve's address (127.0.0.1:8080)
#   QUICKSTART_REDOTPAY_ADDR   the emulators' addresses (127.0.0.1:8901,
#   QUICKSTART_APPOTAPAY_ADDR  127.0.0.1:8902 and 127.0.0.1:8903)
#   QUICKSTART_REDDOT_ADDR
#   QUICKSTART_SHOP_ADDR       the demo shop's address (127.0.0.1:8090)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

WORK=${QUICKSTART_DIR:-$ROOT/tmp/quickstart}
BIN=${QUICKSTART_BIN:-$ROOT/bin}
PAYHOST_ADDR=${QUICKSTART_PAYHOST_ADDR:-127.0.0.1:8080}
REDOTPAY_ADDR=${QUICKSTART_REDOTPAY_ADDR:-127.0.0.1:8901}
APPOTAPAY_ADDR=${QUICKSTART_APPOTAPAY_ADDR:-127.0.0.1:8902}
REDDOT_ADDR=${QUICKSTART_REDDOT_ADDR:-127.0.0.1:8903}
SHOP_ADDR=${QUICKSTART_SHOP_ADDR:-127.0.0.1:8090}

step() { printf '\n==> %s\n' "$*"; }
fail() {
	printf '\nquickstart: %s\n' "$*" >&2
	exit 1
}
indent() { sed 's/^/    /'; }

# --- Stopping everything on exit -----------------------------------------

SANDBOX_PID=""
SERVE_PID=""

# stop NAME PID: SIGTERM, then up to 20 s for a clean exit, then SIGKILL.
# A process that already ended (Ctrl-C reaches the whole process group, so
# the emulators may stop on their own first) is reaped and reported too.
stop() {
	local name=$1 pid=$2 i
	[[ -n $pid ]] || return 0
	if kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null || true
		for ((i = 0; i < 200; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$pid" 2>/dev/null; then
			echo "    $name did not stop within 20 s of SIGTERM; killing it"
			kill -KILL "$pid" 2>/dev/null || true
		fi
	fi
	wait "$pid" 2>/dev/null || true
	echo "    $name (pid $pid) stopped"
}

cleanup() {
	local status=$?
	trap - EXIT INT TERM
	if [[ -n $SERVE_PID || -n $SANDBOX_PID ]]; then
		step "Stopping payhost serve and the emulators"
		stop "payhost serve" "$SERVE_PID"
		stop "payhost sandbox" "$SANDBOX_PID"
	fi
	if ((status != 0)); then
		for log in "$WORK/payhost.log" "$WORK/sandbox.log"; do
			if [[ -s $log ]]; then
				printf '\nThe last lines of %s:\n' "$log"
				tail -n 25 "$log" | indent
			fi
		done
		printf '\nquickstart: FAILED (exit status %d)\n' "$status"
	fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# wait_for_line NAME PID FILE PATTERN: until FILE has a line matching
# PATTERN, for up to 60 s, or until process PID exits.
wait_for_line() {
	local name=$1 pid=$2 file=$3 pattern=$4 i
	for ((i = 0; i < 600; i++)); do
		grep -q -- "$pattern" "$file" 2>/dev/null && return 0
		kill -0 "$pid" 2>/dev/null || fail "$name exited before it was ready; its log is $file"
		sleep 0.1
	done
	fail "$name was not ready after 60 s; its log is $file"
}

# check_free ADDR VARIABLE: fail early, and say what to do, when something
# already listens on ADDR.
check_free() {
	local host=${1%:*} port=${1##*:}
	if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
		fail "$1 is in use (is a payhost sandbox or serve still running?). Stop it, or choose another address with $2=127.0.0.1:<port>."
	fi
}

# read_file VAR FILE: VAR is FILE's text without its last newline. Not
# VAR=$(cat FILE): bash 5.2 parses a command substitution when it runs it,
# and a Ctrl-C that lands then breaks the parsing of the INT trap (see
# main), so from main on the script runs none.
read_file() {
	IFS= read -r -d '' "$1" <"$2" || true
	printf -v "$1" '%s' "${!1%$'\n'}"
}

# main is every step. The script is one function, so that bash has read all
# of it before it runs any of it: a Ctrl-C then never lands while bash is
# still parsing a line, which bash 5.2 mishandles in its traps.
main() {
	# Before anything else: every address must be free.
	for pair in "$REDOTPAY_ADDR QUICKSTART_REDOTPAY_ADDR" "$APPOTAPAY_ADDR QUICKSTART_APPOTAPAY_ADDR" \
		"$REDDOT_ADDR QUICKSTART_REDDOT_ADDR" "$PAYHOST_ADDR QUICKSTART_PAYHOST_ADDR" "$SHOP_ADDR QUICKSTART_SHOP_ADDR"; do
		check_free $pair
	done

	# --- 1. Build -----------------------------------------------------------

	step "1/5 Building payhost and the provider plugins into ${BIN#"$ROOT"/}"
	command -v go >/dev/null || fail "the go command is not installed: see https://go.dev/doc/install"
	mkdir -p "$BIN"
	go build -trimpath -o "$BIN/" ./cmd/payhost ./plugins/*/cmd/payhost-provider-*
	(cd "$BIN" && ls payhost payhost-provider-*) | indent

	# --- 2. The gateway emulators -------------------------------------------

	mkdir -p "$WORK"
	cd "$WORK" && WORK=$PWD && cd "$ROOT"
	# A fresh start: no database or lock file from an earlier run.
	rm -f "$WORK/payhost.db" "$WORK"/payhost.db-* "$WORK/payhost.lock.hcl" "$WORK"/*.log "$WORK/sandbox.out"

	step "2/5 Starting the gateway emulators: payhost sandbox"
	"$BIN/payhost" sandbox -redotpay-addr "$REDOTPAY_ADDR" -appotapay-addr "$APPOTAPAY_ADDR" -reddot-addr "$REDDOT_ADDR" \
		>"$WORK/sandbox.out" 2>"$WORK/sandbox.log" &
	SANDBOX_PID=$!
	wait_for_line "payhost sandbox" "$SANDBOX_PID" "$WORK/sandbox.out" "^Sandbox ready"
	# What the sandbox prints: its URLs and the gateways' published test
	# credentials, which open nothing but the emulators.
	grep -v '^Sandbox ready' "$WORK/sandbox.out" | grep -v '^$' | indent
	echo "    its log: ${WORK#"$ROOT"/}/sandbox.log"

	# --- 3. Configuration: validate and init --------------------------------

	# The configuration reads every credential with env(). These are the
	# sandbox's published test credentials, and the shop's own test API key
	# and webhook secret.
	export APPOTAPAY_API_KEY=FJcmF8uj2ISveL5FvvNk4pnp8xrhINz8
	export APPOTAPAY_SECRET_KEY=XAonJgy14YhtePEITXhyBS2unjfJLAV3
	export REDDOT_SECRET_KEY=D716A4188569B68AB1B6DFAC178E570114CDF0EA3A1CC0E31486C3E41241BC6A76424E8C37AB26F096FC85EF9886C8CB634187F4FDDFF645FB099F1FF54C6B8C
	read_file REDOTPAY_PRIVATE_KEY internal/sandbox/redotpay/keys/redotpay_test_private.pem
	read_file REDOTPAY_PLATFORM_PUBLIC_KEY internal/sandbox/redotpay/keys/redotpay_test_public.pem
	export REDOTPAY_PRIVATE_KEY REDOTPAY_PLATFORM_PUBLIC_KEY
	export SHOP_API_KEY=sk_test_quickstart_shop_5f2b8c41d9e7
	export SHOP_WEBHOOK_SECRET=whsec_test_quickstart_3a9d6e0f1c84
	# Where everything listens (the configuration's defaults unless changed).
	export QUICKSTART_LISTEN=$PAYHOST_ADDR
	export QUICKSTART_PUBLIC_URL=http://$PAYHOST_ADDR
	export QUICKSTART_REDOTPAY_URL=http://$REDOTPAY_ADDR
	export QUICKSTART_APPOTAPAY_URL=http://$APPOTAPAY_ADDR
	export QUICKSTART_REDDOT_URL=http://$REDDOT_ADDR
	export QUICKSTART_WEBHOOK_URL=http://$SHOP_ADDR/payhost/events
	export QUICKSTART_SHOP_ADDR=$SHOP_ADDR
	# Only the plugins just built, whatever the caller's environment says.
	unset PAYHOST_PLUGIN_PATH

	step "3/5 Checking and locking examples/quickstart: payhost validate, payhost init"
	# payhost runs on a copy in the work directory, so that the lock file and
	# the database are written there and the example stays as it is.
	cp examples/quickstart/payhost.hcl "$WORK/payhost.hcl"
	echo "    configuration: ${WORK#"$ROOT"/}/payhost.hcl (a copy of examples/quickstart/payhost.hcl)"
	echo "    \$ payhost validate -config ${WORK#"$ROOT"/}"
	"$BIN/payhost" validate -config "$WORK" 2>&1 | indent
	echo "    \$ payhost init -config ${WORK#"$ROOT"/}"
	"$BIN/payhost" init -config "$WORK" 2>&1 | indent

	# --- 4. payhost serve ---------------------------------------------------

	step "4/5 Starting payhost serve on http://$PAYHOST_ADDR"
	"$BIN/payhost" serve -config "$WORK" -shutdown-timeout 10s >"$WORK/payhost.log" 2>&1 &
	SERVE_PID=$!
	wait_for_line "payhost serve" "$SERVE_PID" "$WORK/payhost.log" "payhost is serving on"
	grep -h "payhost is serving on" "$WORK/payhost.log" | indent
	echo "    its log: ${WORK#"$ROOT"/}/payhost.log"

	# --- 5. The shop's demo -------------------------------------------------

	step "5/5 Running the shop's demo: go run ./examples/quickstart/demo"
	go run ./examples/quickstart/demo 2>&1 | indent
	# (pipefail: the demo's exit status is the pipeline's.)

	step "Stopping payhost serve and the emulators"
	stop "payhost serve" "$SERVE_PID"
	SERVE_PID=""
	stop "payhost sandbox" "$SANDBOX_PID"
	SANDBOX_PID=""

	step "Done: the quickstart worked. examples/quickstart/README.md explains what just happened."
}

main "$@"
