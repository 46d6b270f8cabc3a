"""docker-compose.yml and CI run the same process commands: the scripts of deploy/.

CI starts them natively (tools.bench.procs.DEPLOY, used by the topology tests and make bench); compose
runs them in containers. These tests parse docker-compose.yml so the two cannot drift.
"""

import re
from pathlib import Path

import pytest
import yaml

from tools.bench.procs import DEPLOY

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = (
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "DEFAULT_FROM_EMAIL",
    "SITE_URL",
)
APP_SERVICES = ("migrate", "web", "worker", "beat", "events")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def command_of(service: dict) -> list[str]:
    cmd = service["command"]
    return cmd if isinstance(cmd, list) else cmd.split()


def test_every_service_is_there(compose):
    """The topology; services behind a profile (sso: the identity examples) start only when asked."""
    default = {name for name, service in compose["services"].items() if not service.get("profiles")}
    assert default == {"db", "redis", "mail", "lb", *APP_SERVICES}


@pytest.mark.parametrize("name", ["web", "worker", "beat", "events"])
def test_long_running_services_run_the_deploy_script_ci_runs(compose, name):
    assert command_of(compose["services"][name]) == ["bash", DEPLOY[name]]


def test_migrate_installs_then_runs_the_deploy_migrate_script(compose):
    cmd = " ".join(command_of(compose["services"]["migrate"]))
    assert re.search(rf"deploy/install\.sh && {re.escape(DEPLOY['migrate'])}\b", cmd), cmd
    assert compose["services"]["migrate"]["restart"] == "no"


@pytest.mark.parametrize("script", sorted({*DEPLOY.values(), "deploy/install.sh"}))
def test_deploy_scripts_exist_and_are_executable(script):
    path = ROOT / script
    assert path.is_file(), script
    assert path.stat().st_mode & 0o111, f"{script} is not executable"
    assert path.read_text().startswith("#!/usr/bin/env bash\n")


def test_web_script_uses_the_gunicorn_config_in_the_repo():
    assert "--config deploy/gunicorn.conf.py" in (ROOT / DEPLOY["web"]).read_text()
    assert (ROOT / "deploy" / "gunicorn.conf.py").is_file()
    assert "collectstatic" in (ROOT / DEPLOY["migrate"]).read_text()


def test_nothing_else_starts_gunicorn_or_celery():
    """The topology tests, make bench and the Makefile start processes only through deploy/."""
    offenders = []
    for path in [
        *ROOT.joinpath("tests", "topology").glob("*.py"),
        *ROOT.joinpath("tools", "bench").glob("*.py"),
        ROOT / "Makefile",
    ]:
        text = path.read_text()
        starts_celery = re.search(r"\bcelery\b[^\n]*\b(worker|beat)\b", text.replace("celery_", ""))
        if starts_celery and path.name != "test_compose.py":
            offenders.append(str(path.relative_to(ROOT)))
        if re.search(r"[\"'/]gunicorn[\"']", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_makefile_process_targets_run_the_deploy_scripts():
    makefile = (ROOT / "Makefile").read_text()
    for name in APP_SERVICES:
        body = re.search(rf"^{name}:.*\n((?:\t.*\n)+)", makefile, re.M)
        assert body, f"no make {name}"
        assert DEPLOY[name] in body.group(1), f"make {name} does not run {DEPLOY[name]}"


def test_ci_runs_the_topology_tests_and_the_bench():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "tests/topology" in ci
    assert "make bench" in ci
    assert "BENCH_SIZE=small" in ci


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_get_every_setting_of_the_contract(compose, name):
    env = compose["services"][name]["environment"]
    assert set(CONTRACT) <= set(env), set(CONTRACT) - set(env)
    assert env["DJANGO_SETTINGS_MODULE"] == "smartportal.settings.production"
    assert env["DATABASE_URL"].startswith("postgres://")
    assert "@db:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"].startswith("redis://redis:6379/")
    assert env["EMAIL_URL"] == "smtp://mail:1025"


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_the_mail_reader_gets_every_inbound_setting(compose, name):
    """docker compose runs the e-mail reader (README, "Receiving e-mail"): beat schedules it and the
    worker reads, with every INBOUND_ setting base.py reads from the environment."""
    base = (ROOT / "smartportal" / "settings" / "base.py").read_text()
    inbound = set(re.findall(r'env(?:\.\w+)?\("(INBOUND_\w+)"', base))
    assert {"INBOUND_IMAP_URL", "INBOUND_OAUTH2_TOKEN_URL", "INBOUND_AUTO_REPLY_HOURS"} <= inbound
    env = compose["services"][name]["environment"]
    assert inbound <= set(env), inbound - set(env)


def test_backing_services_have_health_checks_and_the_apps_wait_for_them(compose):
    services = compose["services"]
    assert services["db"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    for name in ("db", "redis"):
        assert services[name]["healthcheck"]["test"]
    for name in APP_SERVICES:
        deps = services[name]["depends_on"]
        if name == "migrate":
            assert deps["db"]["condition"] == deps["redis"]["condition"] == "service_healthy"
        else:
            assert deps["migrate"]["condition"] == "service_completed_successfully"
    assert "/health/" in " ".join(services["web"]["healthcheck"]["test"])
    assert "/health/" in " ".join(services["events"]["healthcheck"]["test"])


def test_the_web_process_sends_browsers_to_the_events_process(compose):
    """The chat's pages open their event streams at CHAT_EVENTS_URL: the load balancer, which
    sends the events path to the events service."""
    env = compose["services"]["web"]["environment"]
    port = compose["services"]["lb"]["ports"][0].split(":")[0]
    assert f":{port}" in env["CHAT_EVENTS_URL"]
    cfg = (ROOT / "deploy" / "haproxy.cfg").read_text()
    assert re.search(r"use_backend events if \{ path_reg \^/chat/\[0-9\]\+/events/\$ \}", cfg), cfg
    assert "events:8001" in cfg


def test_web_and_events_scale_behind_the_load_balancer(compose):
    """`docker compose up --scale web=3 --scale worker=2`: no fixed host port on what scales, the
    load balancer (deploy/haproxy.cfg, mounted into lb) finds every container by Docker's DNS."""
    services = compose["services"]
    for name in ("web", "worker", "events"):
        assert "ports" not in services[name], f"{name} has a fixed host port: it could not scale"
    lb = services["lb"]
    assert lb["image"].startswith("haproxy:")
    assert "./deploy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro" in lb["volumes"]
    assert "8000:8000" in lb["ports"]
    cfg = (ROOT / "deploy" / "haproxy.cfg").read_text()
    assert "balance roundrobin" in cfg
    assert re.search(r"server-template web \d+ web:8000 check resolvers docker", cfg), cfg
    assert re.search(r"server-template events \d+ events:8001 check resolvers docker", cfg), cfg
    assert "nameserver dns 127.0.0.11:53" in cfg


def test_beat_runs_with_the_lease_so_a_second_one_stands_by():
    assert "--scheduler smartportal.beat:LeaderScheduler" in (ROOT / DEPLOY["beat"]).read_text()


def test_mail_catcher_with_web_ui_and_volumes(compose):
    services = compose["services"]
    assert services["mail"]["image"].startswith("axllent/mailpit")
    assert "8025:8025" in services["mail"]["ports"]
    assert {"pgdata", "media"} <= set(compose["volumes"])
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    for name in APP_SERVICES:
        assert any(v.startswith("media:") for v in services[name]["volumes"])
