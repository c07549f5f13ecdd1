"""Wrong access codes: a wait that grows with each wrong code (never a lockout), and the visitor's
address behind trusted proxies only. Pure functions first, then the authenticator on a real store."""
import ipaddress
from datetime import datetime, timedelta

import pytest

from workbook.auth.signin_delay import seconds_left, signin_delay
from workbook.errors import AccessDenied, SettingsError
from workbook.serving.client_address import visitor_address
from workbook.settings import load_settings
from workbook.store import AccessCodeAuthenticator, create_cohort, invite
from workbook.store.models import SigninFailure, utcnow

# ---------------------------------------------------------------- the delay (pure)

def test_no_wait_within_the_free_wrong_codes():
    assert [signin_delay(n, free=5, base=2, cap=60) for n in range(5)] == [0.0] * 5


def test_the_wait_doubles_with_each_further_wrong_code_up_to_the_cap():
    waits = [signin_delay(n, free=5, base=2, cap=60) for n in range(5, 12)]
    assert waits == [2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0]
    assert signin_delay(10_000, free=5, base=2, cap=60) == 60.0  # no overflow, still the cap


def test_seconds_left_counts_from_the_latest_wrong_code():
    t0 = datetime(2027, 3, 1, 9, 0, 0)
    assert seconds_left(6, t0, t0 + timedelta(seconds=1), free=5, base=2, cap=60) == 3.0
    assert seconds_left(6, t0, t0 + timedelta(seconds=4), free=5, base=2, cap=60) == 0.0
    assert seconds_left(2, t0, t0, free=5, base=2, cap=60) == 0.0
    assert seconds_left(0, None, t0, free=5, base=2, cap=60) == 0.0


# ---------------------------------------------------------------- the address (pure)

NETS = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "127.0.0.1/32", "::1/128"))


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy():
    assert visitor_address("198.51.100.4", ["203.0.113.7"], NETS) == "198.51.100.4"
    assert visitor_address("198.51.100.4", ["203.0.113.7"], ()) == "198.51.100.4"
    assert visitor_address("127.0.0.1", [], NETS) == "127.0.0.1"


def test_the_right_most_untrusted_forwarded_address_is_the_visitor():
    # the client forged the first entry; our proxies (10.x) appended what they saw
    assert visitor_address("10.0.0.2", ["6.6.6.6, 203.0.113.7, 10.0.0.9"], NETS) == "203.0.113.7"
    assert visitor_address("10.0.0.2", ["6.6.6.6", "203.0.113.7"], NETS) == "203.0.113.7"  # two header lines
    assert visitor_address("::1", ["2001:db8::5"], NETS) == "2001:db8::5"
    assert visitor_address("10.0.0.2", ["10.0.0.3, 10.0.0.9"], NETS) == "10.0.0.3"  # all ours: the first hop
    assert visitor_address("10.0.0.2", ["203.0.113.7, not-an-address"], NETS) == "10.0.0.2"  # garbage: stop at our proxy


def test_trusted_proxies_setting_is_parsed_and_checked():
    st = load_settings({"WORKBOOK_TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.5"})
    assert [str(n) for n in st.trusted_proxy_networks()] == ["10.0.0.0/8", "192.168.1.5/32"]
    with pytest.raises(SettingsError, match="trusted_proxies: 'proxy.local' is not an address"):
        load_settings({"WORKBOOK_TRUSTED_PROXIES": "proxy.local"})


# ---------------------------------------------------------------- the authenticator (real store)

def _people(db, admin, n: int) -> list[str]:
    cid = create_cohort(db, admin, "Room")
    return [invite(db, admin, cid, f"Trainee {i}")[1] for i in range(n)]


def _age_failures(db, seconds: float) -> None:
    """Move every recorded wrong code ``seconds`` into the past (time passing, without sleeping)."""
    with db.session() as s:
        for row in s.query(SigninFailure).all():
            row.at = row.at - timedelta(seconds=seconds)


def test_wrong_codes_slow_a_page_down_more_and_more_then_it_may_try_again(db, admin):
    st = db.settings
    good = _people(db, admin, 1)[0]
    auth = AccessCodeAuthenticator(db)
    waits = []
    for n in range(st.signin_max_failures + 3):
        with pytest.raises(AccessDenied, match="not valid"):
            auth.authenticate(f"Q{n:04d}-00000-00000", source="page-1")
        if n + 1 >= st.signin_max_failures:
            with pytest.raises(AccessDenied, match=r"too many wrong codes.*wait (\d+) seconds") as refused:
                auth.authenticate(good, source="page-1")
            waits.append(int(refused.value.args[0].split("wait ")[1].split()[0]))
            _age_failures(db, signin_delay(n + 1, st.signin_max_failures, st.signin_delay_seconds, st.signin_delay_max_seconds))
    assert waits == sorted(waits) and waits[-1] > waits[0], waits  # growing
    assert auth.authenticate(good, source="page-1").name == "Trainee 0"  # after the wait: in


def test_a_room_behind_one_address_is_slowed_but_never_locked_out(db, admin):
    """Thirty trainees share one NAT address and mistype far beyond the per-address free count:
    the wait stays at most the address cap, and once it has passed everyone gets in."""
    st = db.settings
    codes = _people(db, admin, 30)
    auth = AccessCodeAuthenticator(db)
    addr = "addr:192.0.2.50"
    for i, code in enumerate(codes):  # two typos each, on their own pages
        for _typo in range(2):
            _age_failures(db, st.signin_delay_max_seconds_per_address)  # they retype at a human pace
            with pytest.raises(AccessDenied, match="not valid"):
                auth.authenticate(code[:-1] + ("0" if code[-1] != "0" else "1"), source=[f"page-{i}", addr])
    with pytest.raises(AccessDenied, match="too many wrong codes") as refused:
        auth.authenticate(codes[0], source=["page-0", addr])
    wait = int(refused.value.args[0].split("wait ")[1].split()[0])
    assert 0 < wait <= st.signin_delay_max_seconds_per_address
    _age_failures(db, st.signin_delay_max_seconds_per_address)
    for i, code in enumerate(codes):
        assert auth.authenticate(code, source=[f"page-{i}", addr]).name == f"Trainee {i}"


def test_failures_beyond_the_memory_are_forgotten(db, admin):
    good = _people(db, admin, 1)[0]
    auth = AccessCodeAuthenticator(db)
    with db.session() as s:
        for _ in range(50):
            s.add(SigninFailure(key="src:page-old", at=utcnow() - timedelta(seconds=db.settings.signin_failure_memory_seconds + 5)))
    assert auth.authenticate(good, source="page-old").name == "Trainee 0"
