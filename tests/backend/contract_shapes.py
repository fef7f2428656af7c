# SPDX-License-Identifier: GPL-3.0-or-later
"""The answer shapes of docs/backend-api.md as data, and a strict checker.

    from contract_shapes import check, SHAPES
    check("lookup", body)          # raises ShapeError naming the first bad field

Objects are exact: every documented field present with its type and no other
field (the reference server sends exactly the contract; the kiosk itself must
ignore unknown fields). Integers are JSON numbers without a fraction (bool is
not an int). Dates, months and times are checked by pattern and as real dates.
"""
import datetime
import re


class ShapeError(AssertionError):
    pass


class Str:
    def __init__(self, pattern=None, min_len=0, max_len=None):
        self.pattern = re.compile(pattern) if pattern else None
        self.min_len, self.max_len = min_len, max_len


class Int:
    def __init__(self, min_value=None):
        self.min_value = min_value


class Bool:
    pass


class Enum:
    def __init__(self, *values):
        self.values = values


class Nullable:
    def __init__(self, shape):
        self.shape = shape


class List:
    def __init__(self, shape, max_len=None):
        self.shape, self.max_len = shape, max_len


class Map:
    """A JSON object with free keys and values of one shape."""

    def __init__(self, shape):
        self.shape = shape


class Obj:
    """An object with exactly these fields (`optional` ones may be absent)."""

    def __init__(self, fields, optional=None):
        self.fields, self.optional = fields, optional or {}


def _date(s):
    datetime.date.fromisoformat(s)


def _time(s):
    datetime.datetime.fromisoformat(s)


DATE = Str(r"^\d{4}-\d{2}-\d{2}$")
MONTH = Str(r"^\d{4}-(0[1-9]|1[0-2])$")
TIME = Str(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")
TOKEN = Str(r"^[0-9a-f]{32}$")
TYPE = Enum("MARRIAGE", "DIVORCE", "REISSUE")

# Policies are per programme family (DIBAO covers DIBAO_URBAN and DIBAO_RURAL...);
# the doc leaves their codes free, the reference server uses these.
POLICY_CODES = ("DIBAO", "TEKUN", "LINSHI", "CANJI", "GAOLING", "GUER")
PROGRAMME_CODES = ("DIBAO_URBAN", "DIBAO_RURAL", "TEKUN", "LINSHI", "CANJI_SHENGHUO",
                   "CANJI_HULI", "GAOLING", "GAOLING_SHINENG", "GUER_JIZHONG", "GUER_SANJU",
                   "WURENFUYANG")
STATUSES = ("APPLIED", "ACCEPTED", "REVIEWING", "APPROVED", "PAYING", "GRADUAL_EXIT",
            "SUSPENDED", "TERMINATED")
AMOUNT_KEYS = ("URBAN", "RURAL", "TEKUN", "JIZHONG", "SANJU", "SHENGHUO", "HULI", "AGE80",
               "AGE90", "AGE100")
PARAMS = ("gradual_exit_permille", "gradual_exit_months", "tekun_minor_age")
ERROR_CODES = ("BAD_REQUEST", "BAD_SIGNATURE", "CLOCK_SKEW", "REPLAY", "CERT_UNKNOWN",
               "TOKEN_EXPIRED", "NOT_A_PARTY", "NOT_FOUND", "SLOT_FULL", "IDEMPOTENCY_MISMATCH",
               "TOO_LARGE", "UNDER_AGE", "SAME_PERSON", "ALREADY_BOOKED", "OUTSIDE_WINDOW",
               "TOO_LATE", "NOT_TODAY", "WRONG_OFFICE", "PARTY_MISSING", "CANCELLED",
               "INVALID_ID", "IDEMPOTENCY_KEY_REQUIRED", "INTERNAL", "UNAVAILABLE")

BOOKING = Obj({
    "number": Str(min_len=1), "type": TYPE, "office": Str(min_len=1),
    "office_name": Str(min_len=1), "slot": Str(min_len=1), "start": TIME, "end": TIME,
    "status": Enum("BOOKED", "CANCELLED", "CHECKED_IN"),
    "second_window": Nullable(Obj({"from": DATE, "to": DATE})),
})

PROGRAMME = Obj({
    "code": Enum(*PROGRAMME_CODES), "name": Str(min_len=1), "status": Enum(*STATUSES),
    "monthly_amount_fen": Nullable(Int(0)), "since": Nullable(DATE),
    "next_review": Nullable(DATE), "gradual_exit_until": Nullable(DATE),
    "office": Str(min_len=1),
    "payments": List(Obj({"month": MONTH, "amount_fen": Int(0), "paid_on": DATE}), max_len=12),
})

POLICY = Obj({
    "code": Str(min_len=1), "name": Str(min_len=1), "summary": Str(), "who": Str(),
    "how": Str(), "documents": List(Str()), "effective": DATE, "source": Str(min_len=1),
    "amounts": List(Obj({"key": Str(min_len=1), "label": Str(), "amount_fen": Int(0)})),
    "params": Map(Int()),
})

SHAPES = {
    "lookup": Obj({"citizen": TOKEN, "expires_in": Int(1), "name_masked": Nullable(Str()),
                   "age": Int(0), "sex": Enum("M", "F"), "known": Bool()}),
    "assistance": Obj({"as_of": DATE, "programmes": List(PROGRAMME)}),
    "policies": Obj({"version": Str(min_len=1), "effective": DATE, "source": Str(min_len=1),
                     "programmes": List(POLICY)}),
    "offices": Obj({"offices": List(Obj({"code": Str(min_len=1), "name": Str(min_len=1),
                                         "address": Str(), "hours": Str()}))}),
    "slots": Obj({"slots": List(Obj({"slot": Str(min_len=1), "start": TIME, "end": TIME,
                                     "capacity": Int(0), "remaining": Int(0)}))}),
    "booking": Obj({"booking": BOOKING}),
    "bookings": Obj({"bookings": List(BOOKING)}),
    "checkin": Obj({"ticket": Str(min_len=1), "counter_hint": Str(), "waiting_ahead": Int(0),
                    "checked_in_at": TIME}),
    "heartbeat": Obj({"server_time": Int(0), "config_version": Str(min_len=1)}),
    "error": Obj({"error": Obj({"code": Enum(*ERROR_CODES), "message": Str()},
                               optional={"server_time": Int(0)})}),
}


def _fail(path, msg):
    raise ShapeError("%s: %s" % (path, msg))


def _check(value, shape, path):
    if isinstance(shape, Nullable):
        if value is not None:
            _check(value, shape.shape, path)
    elif value is None:
        _fail(path, "null where a value is required")
    elif isinstance(shape, Str):
        if not isinstance(value, str):
            _fail(path, "expected a string, got %r" % (value,))
        if len(value) < shape.min_len or (shape.max_len and len(value) > shape.max_len):
            _fail(path, "bad length %d" % len(value))
        if shape.pattern and not shape.pattern.match(value):
            _fail(path, "%r does not match %s" % (value, shape.pattern.pattern))
        try:
            if shape is DATE:
                _date(value)
            elif shape is TIME:
                _time(value)
        except ValueError:
            _fail(path, "%r is not a real date/time" % value)
    elif isinstance(shape, Int):
        if isinstance(value, bool) or not isinstance(value, int):
            _fail(path, "expected an integer, got %r" % (value,))
        if shape.min_value is not None and value < shape.min_value:
            _fail(path, "%d below %d" % (value, shape.min_value))
    elif isinstance(shape, Bool):
        if not isinstance(value, bool):
            _fail(path, "expected a boolean, got %r" % (value,))
    elif isinstance(shape, Enum):
        if value not in shape.values:
            _fail(path, "%r not one of %s" % (value, ", ".join(shape.values)))
    elif isinstance(shape, List):
        if not isinstance(value, list):
            _fail(path, "expected an array")
        if shape.max_len is not None and len(value) > shape.max_len:
            _fail(path, "more than %d items" % shape.max_len)
        for i, item in enumerate(value):
            _check(item, shape.shape, "%s[%d]" % (path, i))
    elif isinstance(shape, Map):
        if not isinstance(value, dict):
            _fail(path, "expected an object")
        for k, v in value.items():
            _check(v, shape.shape, "%s.%s" % (path, k))
    elif isinstance(shape, Obj):
        if not isinstance(value, dict):
            _fail(path, "expected an object, got %r" % (value,))
        for name, sub in shape.fields.items():
            if name not in value:
                _fail(path, "missing field %r" % name)
            _check(value[name], sub, "%s.%s" % (path, name))
        for name, sub in shape.optional.items():
            if name in value:
                _check(value[name], sub, "%s.%s" % (path, name))
        extra = set(value) - set(shape.fields) - set(shape.optional)
        if extra:
            _fail(path, "undocumented field(s) %s" % ", ".join(sorted(extra)))
    else:
        raise TypeError("unknown shape %r" % (shape,))


def check(name, value):
    """Checks `value` against the named shape (a key of SHAPES); raises ShapeError."""
    _check(value, SHAPES[name], name)
    if name == "error":
        err = value["error"]
        if ("server_time" in err) != (err["code"] == "CLOCK_SKEW"):
            _fail("error.error", "server_time belongs to CLOCK_SKEW only")
    return value


def check_error(value, code=None):
    """An error body, optionally with this code."""
    check("error", value)
    if code is not None and value["error"]["code"] != code:
        _fail("error.error.code", "expected %s, got %s" % (code, value["error"]["code"]))
    return value
