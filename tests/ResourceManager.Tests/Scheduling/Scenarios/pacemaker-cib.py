#!/usr/bin/env python3
"""Builds a Pacemaker CIB from a scenario folder (config.crm + status.json) for crm_simulate.
Usage: to-cib.py SCENARIO_DIR OUT.xml   (needs crmsh and cibadmin)"""
import json, os, subprocess, sys, tempfile
import xml.etree.ElementTree as ET

d, out = sys.argv[1], sys.argv[2]
env = dict(os.environ, CIB_file=os.path.abspath(out))
with open(out, "w") as f:
    f.write(subprocess.run(["cibadmin", "--empty"], capture_output=True, text=True, check=True).stdout)
subprocess.run(["crm", "-F", "configure", "load", "update", os.path.join(d, "config.crm")], env=env, check=True)
tree = ET.parse(out)
cib = tree.getroot()
st = json.load(open(os.path.join(d, "status.json"))) if os.path.exists(os.path.join(d, "status.json")) else {}
cib.set("have-quorum", "1" if st.get("quorate", True) else "0")
nodes_el = cib.find("configuration/nodes")
ids = {n.get("uname"): n.get("id") for n in nodes_el}
prims = {p.get("id"): p for p in cib.iter("primitive")}
status = cib.find("status")
inject = []
clone_ix = {}
clone_prims = {c.find("primitive").get("id") for t in ("clone", "master") for c in cib.iter(t) if c.find("primitive") is not None}
clone_prims |= {p.get("id") for t in ("clone", "master") for c in cib.iter(t) for g in c.iter("group") for p in g.iter("primitive")}
p_is_clone = lambda r: r in clone_prims
nodes = st.get("nodes") or [{"name": n, "online": True} for n in ids]
for i, n in enumerate(nodes):
    name = n["name"]
    if name not in ids:
        ids[name] = str(i + 1)
        ET.SubElement(nodes_el, "node", id=ids[name], uname=name)
    if n.get("standby"):
        node_el = next(x for x in nodes_el if x.get("uname") == name)
        ia = ET.SubElement(node_el, "instance_attributes", id=f"nodes-{name}-ia")
        ET.SubElement(ia, "nvpair", id=f"nodes-{name}-standby", name="standby", value="on")
    if not n.get("online", True) and not n.get("unclean"):
        continue
    ns = ET.SubElement(status, "node_state", id=ids[name], uname=name, crmd="online" if n.get("online", True) else "offline",
                       **{"in_ccm": "true" if n.get("online", True) else "false", "join": "member" if n.get("online", True) else "down",
                          "expected": "member" if n.get("online", True) else "down"})
    ta = ET.SubElement(ns, "transient_attributes", id=ids[name])
    ia = ET.SubElement(ta, "instance_attributes", id=f"status-{name}")
    for k, v in (n.get("attributes") or {}).items():
        ET.SubElement(ia, "nvpair", id=f"status-{name}-{k}", name=k, value=str(v))
    for r in st.get("resources", []):
        for inst in r.get("instances", []):
            if inst["node"] != name:
                continue
            rid = r["id"]
            if p_is_clone(rid):
                rid = f"{rid}:{clone_ix.setdefault(rid, {}).setdefault(name, len(clone_ix[rid]))}"
            inject.append(f"{rid}_start_0@{name}=0")
            if inst["role"] == "Promoted":
                inject.append(f"{rid}_promote_0@{name}=0")
tree.write(out)
base = out + ".base"
os.replace(out, base)
subprocess.run(["crm_simulate", "-x", base, "-O", out] + [a for i in inject for a in ("-i", i)], check=True, capture_output=True)
os.remove(base)
print(" ".join("-i " + i for i in inject))
t2 = ET.parse(out)
digests = {}
for lr in t2.getroot().iter("lrm_resource"):
    prim = lr.get("id").split(":")[0]
    node = next(ns.get("uname") for ns in t2.getroot().iter("node_state") if lr in list(ns.iter("lrm_resource")))
    if prim not in digests:
        x = subprocess.run(["crm_resource", "--digests", "-r", prim, "-N", node, "--output-as=xml"], env=env, capture_output=True, text=True).stdout
        digests[prim] = ET.fromstring(x).find("digests/digest[@type='all']").get("hash")
    for op in lr.iter("lrm_rsc_op"):
        if op.get("interval") == "0" and op.get("op-digest") is None:
            op.set("op-digest", digests[prim])
t2.write(out)

# The whatif file, as crm_simulate flags; then the Transition Summary into DIR/pacemaker.summary.
flags = []
wf = os.path.join(d, "whatif")
for line in (open(wf).read().splitlines() if os.path.exists(wf) else []):
    parts = line.split(None, 1)
    if len(parts) < 2 or parts[0].startswith("#"):
        continue
    k, v = parts
    if k in ("--node-fail", "--node-up", "--node-down"):
        flags += [k, v]
    elif k == "--fail":
        res, node, op, *rc = v.split(":")
        interval = "0"
        if op == "monitor":
            mons = [o for o in prims[res].iter("op") if o.get("name") == "monitor"]
            iv = mons[0].get("interval")
            interval = str(int(iv.rstrip("s")) * 1000) if iv.endswith("s") else iv
        rid = res
        if p_is_clone(res):
            rid = f"{res}:{clone_ix.get(res, {}).get(node, 0)}"
        flags += ["-i", f"{rid}_{op}_{interval}@{node}={rc[0] if rc else 1}"]
    else:
        raise SystemExit(f"whatif {k} not translated")
cmd = ["crm_simulate", "-x", "cib.xml", "-R"] + flags
res = subprocess.run(["crm_simulate", "-x", out, "-R"] + flags, capture_output=True, text=True)
summary = res.stdout[res.stdout.index("Transition Summary:"):]
with open(os.path.join(d, "pacemaker.summary"), "w") as f:
    f.write("# Pacemaker 2.1.5 on this folder's config.crm, status.json and whatif, converted to a CIB by\n")
    f.write("# ../pacemaker-cib.py (crm configure load, then the status injected with crm_simulate):\n")
    f.write(f"#   python3 ../pacemaker-cib.py . cib.xml   # injects: {' '.join('-i ' + i for i in inject)}\n")
    f.write(f"#   {' '.join(cmd)}\n")
    f.write(summary)
    # The summary hides some actions (the stops of a "Move" from several nodes): list what -S executes.
    executed = subprocess.run(["crm_simulate", "-x", out, "-S"] + flags, capture_output=True, text=True).stdout
    ops = [l.strip() for l in executed.splitlines() if l.strip().startswith("* Resource action:")
           and l.split()[-3] in ("start", "stop", "promote", "demote") or "Fencing" in l]
    f.write("\n# crm_simulate -x cib.xml -S executes (probes, monitors and notifications left out):\n")
    f.writelines(f"#   {l}\n" for l in ops)
print(summary)

# Clones with notify=true: the notifications -S schedules, one line each (pre/post, operation, node and the
# node lists the agent is given) into DIR/pacemaker-notify.txt, which the scenario test compares with ClusterD's.
graph = out + ".graph.xml"
subprocess.run(["crm_simulate", "-x", out, "-S", "-G", graph] + flags, capture_output=True, text=True, check=True)
lines = []
for a in ET.parse(graph).getroot().iter("rsc_op"):
    if a.get("operation") != "notify" or a.find("attributes") is None:
        continue
    at = a.find("attributes").attrib
    meta = lambda k: " ".join(at.get("CRM_meta_notify_" + k, "").split())
    lists = " ".join(f"{k}=[{meta(k + '_uname')}]" for k in ("active", "start", "stop", "promote", "demote", "promoted", "unpromoted"))
    inactive = len(meta("inactive_resource").split())
    lines.append(f"{meta('type')}-{meta('operation')} {a.get('on_node')} {lists} inactive={inactive} all=[{meta('all_uname')}]")
os.remove(graph)
if lines:
    with open(os.path.join(d, "pacemaker-notify.txt"), "w") as f:
        f.write("# Pacemaker 2.1.5's notifications for this folder (crm_simulate -S -G, written by ../pacemaker-cib.py):\n")
        f.write("# pre|post-operation, node, the unames of each list, how many instances are inactive, every node.\n")
        f.writelines(l + "\n" for l in sorted(lines))
