"""Any text or YAML given to the scenario loader is a Scenario or a ScenarioError."""
from __future__ import annotations

import yaml
from hypothesis import given, strategies as st

from netsim.errors import ScenarioError
from netsim.scenario.loader import Scenario, load_text, load_yaml
from prop_support import examples

KEYS = ["name", "description", "steps", "host", "seed", "tags", "run", "expect", "note",
        "exit_code", "stdout", "stdout_contains", "stdout_regex", "stderr", "hostname",
        "uplink", "userland_proxy", "daemon_dns", "bogus"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.text(max_size=20), st.sampled_from(["docker ps", "(", "[a-", "*", "ping -c 1 x"]))
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=5)),
                                            inner, max_size=4)),
    max_leaves=20)
yaml_fragments = st.sampled_from([
    "steps:\n", "  - ", "docker ps\n", "run: ", "expect:\n", "    exit_code: ", "0\n",
    "!!python/object/apply:os.system ['true']\n", "&a ", "*a\n", "- [\n", "{", "}", ": ", "\t",
    "name: x\n", "host: {hostname: h}\n", "seed: 1\n", "---\n", "...\n", "%YAML 1.1\n", "'", '"',
    "stdout_regex: '('\n", "\\", "\n", "#", "? ", "|\n", ">\n", "!!binary aGk=\n", "<<: *a\n"])


def _check(fn, text):
    try:
        sc = fn(text, "prop.yaml")
    except ScenarioError as err:
        assert str(err) and "\n" not in str(err).rstrip("\n"), repr(str(err))
        return
    assert isinstance(sc, Scenario)
    assert all(isinstance(s.run, str) for s in sc.steps)


@examples(300)
@given(st.text(max_size=200))
def test_any_text_loads_or_is_a_scenario_error(text):
    _check(load_yaml, text)
    _check(load_text, text)


@examples(200)
@given(st.lists(yaml_fragments, max_size=25).map("".join))
def test_yaml_shaped_text(text):
    _check(load_yaml, text)


@examples(300)
@given(documents)
def test_any_yaml_document(doc):
    text = yaml.safe_dump(doc)
    _check(load_yaml, text)
    _check(load_yaml, yaml.safe_dump({"steps": doc}))
    _check(load_yaml, yaml.safe_dump({"steps": [doc]}))
    _check(load_yaml, yaml.safe_dump({"steps": ["docker ps"], "host": doc}))


@examples(150)
@given(st.dictionaries(st.sampled_from(sorted(["hostname", "uplink", "uplink_address", "uplink_gateway",
                                               "uplink_address6", "uplink_gateway6", "ifb_macs",
                                               "resolv_conf", "daemon_dns", "etc_hosts",
                                               "userland_proxy"])),
                       st.one_of(scalars, st.lists(scalars, max_size=3),
                                 st.sampled_from(["10.1.2.3/24", "10.1.2.1", "h", "1.1.1.1",
                                                  "fd00::5/64", "fd00::1", ""]),
                                 st.lists(st.sampled_from(["1.1.1.1", "8.8.8.8", "0a:00:00:00:00:01"]),
                                          max_size=2)),
                       max_size=4),
       st.one_of(st.integers(), st.booleans(), st.none()))
def test_a_loaded_scenario_builds_an_engine(host, seed):
    """What the loader accepts, the engine accepts: bad values are ScenarioErrors up front."""
    from netsim.scenario.runner import make_engine, run_scenario
    doc = {"steps": ["docker run -d --name web busybox sleep 9", "docker exec web cat /etc/resolv.conf"],
           "host": host}
    if seed is not None:
        doc["seed"] = seed
    try:
        sc = load_yaml(yaml.safe_dump(doc), "p.yaml")
    except ScenarioError:
        return
    for outcome in run_scenario(sc, make_engine(sc)):
        assert isinstance(outcome.result.exit_code, int)
