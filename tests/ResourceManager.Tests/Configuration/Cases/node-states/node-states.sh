#!/bin/bash
# Rebuilds node-states.tsv with crm_simulate (pacemaker-cli-utils): every n2 node_state combination, with and
# without a resource recorded active on n2, with fencing enabled and disabled.
set -e
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
head -4 node-states.tsv > "$tmp/out"
for active in no yes; do
for st in true false; do
for ccm in true false -; do for crmd in online offline -; do for join in member down pending banned -; do
for exp in member down -; do for sd in - 1700000000; do
  a=""; [ $ccm != - ] && a="$a in_ccm=\"$ccm\""; [ $crmd != - ] && a="$a crmd=\"$crmd\""
  [ $join != - ] && a="$a join=\"$join\""; [ $exp != - ] && a="$a expected=\"$exp\""
  tr=""; [ $sd != - ] && tr="<transient_attributes id=\"2\"><instance_attributes id=\"s2\"><nvpair id=\"s2-sd\" name=\"shutdown\" value=\"$sd\"/></instance_attributes></transient_attributes>"
  sed -e "s|STONITH|$st|" -e "s|N2ATTRS|$a|" -e "s|TRANSIENT|$tr|" node-state.xml > "$tmp/cib.xml"
  [ $active = no ] && sed -i '/<lrm id="2">/,/<\/lrm>/d' "$tmp/cib.xml"
  nodes=$(crm_simulate -x "$tmp/cib.xml" -R 2>&1 | sed -n '/Current cluster status/,/Full List/p')
  if grep -q "n2: UNCLEAN" <<<"$nodes"; then s=unclean
  elif grep -q "n2: pending" <<<"$nodes"; then s=pending
  elif grep -q "Online: \[ n1 n2 \]" <<<"$nodes"; then s=online
  else s=offline; fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' $st $ccm $crmd $join $exp $sd $active $s >> "$tmp/out"
done; done; done; done; done; done; done
mv "$tmp/out" node-states.tsv
