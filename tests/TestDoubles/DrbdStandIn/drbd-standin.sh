#!/bin/bash
# Test stand-in for drbdadm and drbdsetup (the DRBD kernel module does not exist on test machines).
# One node's view of DRBD resources whose state both nodes share in a directory:
#   $STANDIN_STATE/RES/defined        the resource exists in the configuration; holds its minor
#   $STANDIN_STATE/RES/NODE.up        the resource is up on NODE
#   $STANDIN_STATE/RES/NODE.role      Primary | Secondary
#   $STANDIN_STATE/RES/NODE.disk      UpToDate | Consistent | Outdated | Inconsistent | Diskless (default UpToDate)
#   $STANDIN_STATE/RES/cut            the replication link between the nodes is cut
# It refuses a second Primary and a promotion without UpToDate data, outdates an unreachable peer when
# this node becomes Primary (as resource-level fencing does), and prints status as DRBD 9
# (drbdsetup status --json) or, with STANDIN_VERSION=8.4, keeps a /proc/drbd-format file per node.
# Every role change is appended to $STANDIN_STATE/events ("SECONDS NODE RES what"), changes of one resource
# are serialized by a lock, so two nodes promoting at once cannot both succeed.
# Optional, for a stand-in with a real block device behind it (the end-to-end testbed):
#   $STANDIN_STATE/RES/NODE.dev      this node's block device for RES (NODE.devnum: its MAJOR:MINOR, cached);
#                                    with STANDIN_DEVDIR set (e.g. /dev/drbd),
#                                    $STANDIN_DEVDIR/by-res/RES links to it while this node is Primary, and
#                                    secondary/down are refused while it is mounted (DRBD: "held open")
#   STANDIN_RESYNC=1                 a connected peer's Outdated or Inconsistent disk becomes UpToDate
#                                    (replication caught up) whenever the tools look at the resource
# Usage: STANDIN_NODE=a STANDIN_PEER=b STANDIN_STATE=DIR [STANDIN_VERSION=8.4] drbd-standin.sh drbdadm|drbdsetup ARGS...
set -u
tool=$1; shift
node=$STANDIN_NODE; peer=$STANDIN_PEER; state=$STANDIN_STATE; version=${STANDIN_VERSION:-9}
echo "$tool $*" >> "$state/calls.$node"

get() { local f="$state/$1/$2.$3"; if [ -e "$f" ]; then echo "$(<"$f")"; else echo "$4"; fi; }
put() { echo "$4" > "$state/$1/$2.$3"; }
is_up() { [ -e "$state/$1/$2.up" ]; }
connected() { is_up "$1" "$node" && is_up "$1" "$peer" && [ ! -e "$state/$1/cut" ]; }
not_defined() { echo "'$1' not defined in your config (for this host)." >&2; exit 10; }
no_such() { echo "$1: No such resource" >&2; exit 10; }
event() { printf '%s %s %s %s\n' "$EPOCHREALTIME" "$node" "$1" "$2" >> "$state/events"; }
lock() { exec 9>>"$state/$1/lock"; flock 9; }

device() { [ -n "${STANDIN_DEVDIR:-}" ] && [ -e "$state/$1/$node.dev" ] && echo "$(<"$state/$1/$node.dev")"; }
link_device() { local dev; dev=$(device "$1") || return 0; mkdir -p "$STANDIN_DEVDIR/by-res"; ln -sfn "$dev" "$STANDIN_DEVDIR/by-res/$1"; }
unlink_device() { device "$1" >/dev/null || return 0; rm -f "$STANDIN_DEVDIR/by-res/$1"; }
held_open() { # the device is mounted in this node's mount namespace
    local dev mm devnum; dev=$(device "$1") || return 1
    if [ -e "$state/$1/$node.devnum" ]; then mm=$(<"$state/$1/$node.devnum"); else
        mm=$(stat -Lc '%t %T' "$dev") || return 1
        mm="$((16#${mm% *})):$((16#${mm#* }))"
        echo "$mm" > "$state/$1/$node.devnum" # the next calls read it instead of running stat
    fi
    while read -r _ _ devnum _; do
        [ "$devnum" = "$mm" ] && return 0
    done < /proc/self/mountinfo
    return 1
}
refuse_held_open() {
    if held_open "$1"; then
        event "$1" "refused-$2 held open"
        echo "$1: State change failed: (-12) Device is held open by someone" >&2; exit 11
    fi
}
resync() { # replication catches up while connected
    [ "${STANDIN_RESYNC:-0}" = "1" ] && connected "$1" || return 0
    local n p
    for n in "$node" "$peer"; do
        [ "$n" = "$node" ] && p=$peer || p=$node
        case $(get "$1" "$n" disk UpToDate) in
            Outdated|Inconsistent|Consistent)
                if [ "$(get "$1" "$p" disk UpToDate)" = "UpToDate" ]; then put "$1" "$n" disk UpToDate; event "$1" "resync $n"; fi ;;
        esac
    done
}

write_proc() { # the /proc/drbd of both nodes, for 8.4 mode
    [ "$version" = "8.4" ] || return 0
    local n p res minor out
    for n in "$node" "$peer"; do
        [ "$n" = "$node" ] && p=$peer || p=$node
        out="version: 8.4.11 (api:1/proto:86-101)\nsrcversion: 0000000000000000000000\n"
        for res in "$state"/*/; do
            res=$(basename "$res"); [ -e "$state/$res/defined" ] || continue
            minor=$(cat "$state/$res/defined")
            if is_up "$res" "$n"; then
                if is_up "$res" "$p" && [ ! -e "$state/$res/cut" ]; then
                    out+=" $minor: cs:Connected ro:$(get "$res" "$n" role Secondary)/$(get "$res" "$p" role Secondary) ds:$(get "$res" "$n" disk UpToDate)/$(get "$res" "$p" disk UpToDate) C r-----\n"
                else
                    out+=" $minor: cs:WFConnection ro:$(get "$res" "$n" role Secondary)/Unknown ds:$(get "$res" "$n" disk UpToDate)/DUnknown C r-----\n"
                fi
                out+="    ns:0 nr:0 dw:0 dr:0 al:0 bm:0 lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:0\n"
            else
                out+=" $minor: cs:Unconfigured\n"
            fi
        done
        printf "$out" > "$state/proc-drbd.$n"
    done
}

drbdadm() {
    local force=no
    [ "${1:-}" = "-c" ] && shift 2
    local verb=$1 res=${2:-}
    [ "$verb" = "primary" ] && [ "$res" = "--force" ] && { force=yes; res=$3; }
    [ -e "$state/$res/defined" ] || not_defined "$res"
    [ "$verb" = "sh-minor" ] || lock "$res"
    case $verb in
        sh-minor) cat "$state/$res/defined" ;;
        up)
            is_up "$res" "$node" && { echo "$res: Failure: (161) Minor or volume exists already" >&2; exit 10; }
            touch "$state/$res/$node.up"; put "$res" "$node" role Secondary; event "$res" up; resync "$res" ;;
        down)
            refuse_held_open "$res" down
            rm -f "$state/$res/$node.up"; put "$res" "$node" role Secondary; unlink_device "$res"; event "$res" down ;;
        secondary)
            is_up "$res" "$node" || no_such "$res"
            refuse_held_open "$res" secondary
            put "$res" "$node" role Secondary; unlink_device "$res"; event "$res" secondary ;;
        primary)
            is_up "$res" "$node" || no_such "$res"
            resync "$res"
            if [ "$(get "$res" "$peer" role Secondary)" = "Primary" ] && is_up "$res" "$peer"; then
                event "$res" "refused-primary peer is Primary"
                echo "$res: State change failed: (-1) Multiple primaries not allowed by config" >&2; exit 11
            fi
            local disk; disk=$(get "$res" "$node" disk UpToDate)
            if [ "$disk" != "UpToDate" ] && [ "$force" = "no" ]; then
                if ! { [ "$disk" = "Consistent" ] && connected "$res" && [ "$(get "$res" "$peer" disk UpToDate)" = "Outdated" ]; }; then
                    event "$res" "refused-primary disk $disk"
                    echo "$res: State change failed: (-2) Need access to UpToDate data" >&2; exit 11
                fi
            fi
            put "$res" "$node" role Primary; link_device "$res"; event "$res" primary
            if ! connected "$res" && [ "$(get "$res" "$peer" disk UpToDate)" = "UpToDate" ]; then
                put "$res" "$peer" disk Outdated
            fi ;;
        *) echo "drbdadm: unknown command '$verb'" >&2; exit 20 ;;
    esac
    write_proc
}

drbdsetup() {
    local verb=$1 res=${2:-} json=${3:-}
    [ "$verb" = "status" ] || { echo "drbdsetup: unknown command '$verb'" >&2; exit 20; }
    if [ "$version" = "8.4" ]; then echo "drbdsetup status: unrecognized option '--json'" >&2; exit 20; fi
    [ "$json" = "--json" ] || { echo "stand-in: only status RES --json" >&2; exit 20; }
    is_up "$res" "$node" || no_such "$res"
    [ "${STANDIN_RESYNC:-0}" = "1" ] && { lock "$res"; resync "$res"; }
    local cstate=Connecting prole=Unknown pdisk=DUnknown repl=Off
    if connected "$res"; then
        cstate=Connected; prole=$(get "$res" "$peer" role Secondary); pdisk=$(get "$res" "$peer" disk UpToDate); repl=Established
    fi
    cat <<JSON
[
{
  "name": "$res",
  "node-id": 0,
  "role": "$(get "$res" "$node" role Secondary)",
  "suspended": false,
  "write-ordering": "flush",
  "devices": [ { "volume": 0, "minor": $(<"$state/$res/defined"), "disk-state": "$(get "$res" "$node" disk UpToDate)", "client": false, "quorum": true, "size": 5242880 } ],
  "connections": [
    { "peer-node-id": 1, "name": "$peer", "connection-state": "$cstate", "congested": false, "peer-role": "$prole",
      "peer_devices": [ { "volume": 0, "replication-state": "$repl", "peer-disk-state": "$pdisk", "peer-client": false, "percent-in-sync": 100.00 } ] }
  ]
}
]
JSON
}

"$tool" "$@"
