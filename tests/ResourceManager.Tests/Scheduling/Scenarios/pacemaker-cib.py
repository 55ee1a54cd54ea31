#!/usr/bin/env python3
"""Builds a Pacemaker CIB from a scenario folder (config.crm + status.json, or a CIB config.xml) for
crm_simulate, translates its whatif and writes what Pacemaker decides into the folder's pacemaker.summary.
Usage: pacemaker-cib.py SCENARIO_DIR OUT.xml   (needs pacemaker-cli-utils and crmsh)"""
import calendar, json, os, re, subprocess, sys, tempfile
import xml.etree.ElementTree as ET

d, out = sys.argv[1], sys.argv[2]
from_xml = os.path.exists(os.path.join(d, "config.xml"))
epoch = lambda t: str(calendar.timegm(__import__("datetime").datetime.fromisoformat(t.replace("Z", "+00:00")).utctimetuple()))
whatif = [l.split(None, 1) for l in (open(os.path.join(d, "whatif")).read().splitlines() if os.path.exists(os.path.join(d, "whatif")) else [])]
whatif = [w for w in whatif if len(w) == 2 and not w[0].startswith("#")]
env = dict(os.environ, CIB_file=os.path.abspath(out))
if not from_xml:
    with open(out, "w") as f:
        f.write(subprocess.run(["cibadmin", "--empty"], capture_output=True, text=True, check=True).stdout)
    # The seed's text ends a statement with a stray backslash before the next one; ClusterD reads a statement
    # keyword as the start of a new statement, crmsh does not: drop such a backslash for crmsh.
    crm_lines = open(os.path.join(d, "config.crm")).read().splitlines()
    keywords = ("primitive", "ms", "clone", "group", "colocation", "order", "location", "property", "rsc_defaults", "op_defaults", "node")
    for i in range(len(crm_lines) - 1):
        if crm_lines[i].rstrip().endswith("\\") and crm_lines[i + 1].split()[:1] and crm_lines[i + 1].split()[0] in keywords:
            crm_lines[i] = crm_lines[i].rstrip()[:-1]
    # crmsh takes one property statement (a second one is a duplicate cib-bootstrap-options): join them.
    props = [l for l in crm_lines if l.split()[:1] == ["property"]]
    if len(props) > 1:
        crm_lines = [l for l in crm_lines if l not in props] + ["property " + " ".join(" ".join(l.split()[1:]) for l in props)]
    with tempfile.NamedTemporaryFile("w", suffix=".crm", delete=False) as crm_file:
        crm_file.write("\n".join(crm_lines) + "\n")
    subprocess.run(["crm", "-F", "configure", "load", "update", crm_file.name], env=env, check=True)
    os.remove(crm_file.name)
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
        if n.get("standby") or ["--standby", name] in whatif:
            node_el = next(x for x in nodes_el if x.get("uname") == name)
            ia = ET.SubElement(node_el, "instance_attributes", id=f"nodes-{name}-ia")
            ET.SubElement(ia, "nvpair", id=f"nodes-{name}-standby", name="standby", value="on")
        # An offline node left cleanly (expected down); an unclean one was lost while a member (expected
        # member), which Pacemaker reads as unclean. Both keep their node attributes, as ClusterD's status does.
        online = n.get("online", True)
        ns = ET.SubElement(status, "node_state", id=ids[name], uname=name, crmd="online" if online else "offline",
                           **{"in_ccm": "true" if online else "false", "join": "member" if online else "down",
                              "expected": "member" if online or n.get("unclean") else "down"})
        ta = ET.SubElement(ns, "transient_attributes", id=ids[name])
        ia = ET.SubElement(ta, "instance_attributes", id=f"status-{name}")
        for k, v in (n.get("attributes") or {}).items():
            ET.SubElement(ia, "nvpair", id=f"status-{name}-{k}", name=k, value=str(v))
        # A fail count is Pacemaker's fail-count-RSC#OP_INTERVAL with last-failure-RSC#OP_INTERVAL (seconds since
        # the epoch); Pacemaker adds up a resource's fail counts, so one pair per resource and node says it all.
        for fc in st.get("failcounts") or []:
            if fc["node"] == name:
                key = f"{fc['resource']}#monitor_0"
                count = "INFINITY" if str(fc["count"]).upper() == "INFINITY" else str(fc["count"])
                ET.SubElement(ia, "nvpair", id=f"status-{name}-fc-{fc['resource']}", name="fail-count-" + key, value=count)
                if fc.get("lastFailure"):
                    ET.SubElement(ia, "nvpair", id=f"status-{name}-lf-{fc['resource']}", name="last-failure-" + key, value=epoch(fc["lastFailure"]))
        for r in st.get("resources", []):
            for inst in r.get("instances", []):
                if inst["node"] != name:
                    continue
                rid = r["id"]
                if rid not in prims:
                    continue  # not configured: written as history below (crm_simulate injects configured ones only)
                if p_is_clone(rid):
                    rid = f"{rid}:{clone_ix.setdefault(rid, {}).setdefault(name, len(clone_ix[rid]))}"
                inject.append(f"{rid}_start_0@{name}=0")
                if inst["role"] == "Promoted":
                    inject.append(f"{rid}_promote_0@{name}=0")
    # Recorded operations (a failed monitor, a probe, a stop) in the order they ran, after the running instances.
    ms = lambda iv: str(int(iv[:-2])) if iv.endswith("ms") else str(int(iv[:-1]) * 1000) if iv.endswith("s") else iv
    for o in sorted(st.get("operations") or [], key=lambda o: o.get("callId", 0)):
        rid = o["resource"] + (f":{clone_ix.get(o['resource'], {}).get(o['node'], 0)}" if p_is_clone(o["resource"]) else "")
        inject.append(f"{rid}_{o['operation']}_{ms(o.get('interval', '0'))}@{o['node']}={o['rc']}")
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
        # Per node: crm_resource computes the digest from the resource's history there (a node where it
        # last stopped after a failure gives another hash than one where it started).
        if (prim, node) not in digests:
            x = subprocess.run(["crm_resource", "--digests", "-r", prim, "-N", node, "--output-as=xml"], env=env, capture_output=True, text=True).stdout
            digests[prim, node] = ET.fromstring(x).find("digests/digest[@type='all']").get("hash")
        for op in lr.iter("lrm_rsc_op"):
            if op.get("interval") == "0" and op.get("op-digest") is None:
                op.set("op-digest", digests[prim, node])
            # An injected operation is dated now; give it the time status.json records, so failure-timeout
            # is measured from the recorded failure (crm_simulate -t sets the scheduler's now).
            # Without a recorded time an operation ran an hour before the what-if's --now: one dated after
            # it (the real now) makes Pacemaker restart the resource "due to resource definition change".
            now = next((w[1] for w in whatif if w[0] == "--now"), None)
            if now and op.get("crm-debug-origin") == "crm_simulate":
                for a in ("last-rc-change", "last-run"):
                    op.set(a, str(int(epoch(now)) - 3600))
            for o in st.get("operations") or []:
                if o.get("lastRcChange") and o["resource"] == prim and o["node"] == node and o["operation"] == op.get("operation") \
                        and ms(o.get("interval", "0")) == op.get("interval"):
                    for a in ("last-rc-change", "last-run"):
                        op.set(a, epoch(o["lastRcChange"]))
    # A resource the configuration no longer has (an orphan) still runs where status.json says: its history by hand.
    for r in st.get("resources", []):
        if r["id"] in prims:
            continue
        cls, _, rest = r["agent"].partition(":")
        provider, _, typ = rest.rpartition(":")
        for k, inst in enumerate(r.get("instances", [])):
            ns = next(x for x in t2.getroot().iter("node_state") if x.get("uname") == inst["node"])
            lrm = ns.find("lrm") if ns.find("lrm") is not None else ET.SubElement(ns, "lrm", id=ns.get("id"))
            lrs = lrm.find("lrm_resources") if lrm.find("lrm_resources") is not None else ET.SubElement(lrm, "lrm_resources")
            lr = ET.SubElement(lrs, "lrm_resource", id=r["id"], type=typ, **{"class": cls}, **({"provider": provider} if provider else {}))
            key = f"1:-1:0:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
            ET.SubElement(lr, "lrm_rsc_op", id=f"{r['id']}_last_0", operation_key=f"{r['id']}_start_0", operation="start",
                          **{"crm-debug-origin": "pacemaker-cib.py", "crm_feature_set": "3.16.1", "transition-key": key,
                             "transition-magic": "0:0;" + key, "call-id": str(100 + k), "rc-code": "0", "op-status": "0",
                             "interval": "0", "last-rc-change": "1700000000", "exec-time": "0", "queue-time": "0"})
    # Injecting a failed operation sets its own fail count, dated now: status.json's fail counts replace them.
    for ns in t2.getroot().iter("node_state"):
        for ia in ns.iter("instance_attributes"):
            mine = {nv.get("name") for nv in ia if nv.get("id", "").startswith(f"status-{ns.get('uname')}-fc-") or nv.get("id", "").startswith(f"status-{ns.get('uname')}-lf-")}
            for nv in list(ia):
                if nv.get("name", "").startswith(("fail-count-", "last-failure-")) and nv.get("name") not in mine:
                    ia.remove(nv)
    t2.write(out)
else:
    # A CIB folder (config.xml) brings its own status. Pacemaker 2.1.5 reads in_ccm and crmd as booleans
    # (later versions write the time the node joined instead, which ClusterD reads too) and needs each
    # operation's transition-magic and definition digest, which a hand-written history leaves out.
    cib = ET.parse(os.path.join(d, "config.xml")).getroot()
    cib.set("crm_feature_set", "3.16.1")  # 2.1.5 refuses to modify a CIB written by a later version
    for ns in cib.iter("node_state"):
        for a, up in (("in_ccm", "true"), ("crmd", "online")):
            if (ns.get(a) or "").isdigit():
                ns.set(a, up)
    for i, op in enumerate(cib.iter("lrm_rsc_op")):
        # The key's third field is the result the controller expected: a Promoted monitor expects 8, a probe 7.
        rc = op.get("rc-code", "0")
        key = op.get("transition-key") or f"{i + 1}:-1:{rc if rc in ('0', '7', '8') else '0'}:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
        op.set("transition-key", key)
        op.set("transition-magic", op.get("transition-magic") or f"{op.get('op-status', '0')}:{op.get('rc-code', '0')};{key}")
    ET.ElementTree(cib).write(out)
    for ns in cib.iter("node_state"):
        for lr in ns.iter("lrm_resource"):
            x = subprocess.run(["crm_resource", "--digests", "-r", lr.get("id"), "-N", ns.get("uname"), "--output-as=xml"],
                               env=env, capture_output=True, text=True).stdout
            digest = ET.fromstring(x).find("digests/digest[@type='all']").get("hash")
            for op in lr.iter("lrm_rsc_op"):
                if op.get("interval") == "0" and op.get("op-digest") is None:
                    op.set("op-digest", digest)
    ET.ElementTree(cib).write(out)
    prims = {p.get("id"): p for p in cib.iter("primitive")}
    inject, clone_ix, p_is_clone = [], {}, lambda r: False

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
    elif k == "--now":
        flags += ["-t", v]
    elif k == "--standby":
        continue  # set in the CIB's nodes section above
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
        # A failed start makes the controller set the fail count to INFINITY (start-failure-is-fatal, as
        # ClusterD does); an injected one counts 1, so the CIB gets the controller's count.
        if op == "start" and rc[:1] != ["0"]:
            t3 = ET.parse(out)
            ns = next(x for x in t3.getroot().iter("node_state") if x.get("uname") == node)
            ET.SubElement(ns.find("transient_attributes/instance_attributes"), "nvpair", id=f"status-{node}-fail-count-{rid}.start_0",
                          name=f"fail-count-{rid}#start_0", value="INFINITY")
            t3.write(out)
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
# (crm_simulate -S exits non-zero when its transition could not complete, a blocked action for one.)
subprocess.run(["crm_simulate", "-x", out, "-S", "-G", graph] + flags, capture_output=True, text=True)
lines = []
# A cloned group notifies each member: its lines name the member (member=a), a clone's primitive needs none.
grouped = {p.get("id") for g in ET.parse(out).getroot().iter("group") for p in g.iter("primitive")}
for a in (ET.parse(graph).getroot().iter("rsc_op") if os.path.exists(graph) else []):
    if a.get("operation") != "notify" or a.find("attributes") is None:
        continue
    at = a.find("attributes").attrib
    meta = lambda k: " ".join(at.get("CRM_meta_notify_" + k, "").split())
    rsc = a.find("primitive").get("id")
    member = f" member={rsc}" if rsc in grouped else ""
    lists = " ".join(f"{k}=[{meta(k + '_uname')}]" for k in ("active", "start", "stop", "promote", "demote", "promoted", "unpromoted"))
    inactive = len(meta("inactive_resource").split())
    # The nodes the clone may run on, written only where they are not every node (an opt-in cluster).
    available = f" available=[{meta('available_uname')}]" if sorted(meta("available_uname").split()) != sorted(meta("all_uname").split()) else ""
    # key_operation says the rest (post-stop is "stopped", ...) except after a fence: "stonith".
    key = " key=stonith" if meta("key_operation") == "stonith" else ""
    lines.append(f"{meta('type')}-{meta('operation')} {a.get('on_node')}{member} {lists} inactive={inactive} all=[{meta('all_uname')}]{available}{key}")
if os.path.exists(graph):
    os.remove(graph)
if lines:
    with open(os.path.join(d, "pacemaker-notify.txt"), "w") as f:
        f.write("# Pacemaker 2.1.5's notifications for this folder (crm_simulate -S -G, written by ../pacemaker-cib.py):\n")
        f.write("# pre|post-operation, node, the unames of each list, how many instances are inactive, every node.\n")
        f.writelines(l + "\n" for l in sorted(lines))
