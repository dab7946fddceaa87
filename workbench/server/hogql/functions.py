"""HogQL's function allow-list: which names a query may call and what ClickHouse runs.

HogQL exposes only whitelisted ClickHouse functions (plus a few helpers such as
``toInt``/``toFloat``, which map to the ``OrNull`` variants). Everything else, including
table functions such as ``file()`` or ``url()``, is an "Unsupported function call" error.
Specs are ``name[=clickhouse_name] min[-max|+]``: ``+`` means any number of arguments.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FunctionSpec:
    """One allowed function: its ClickHouse name and argument/parameter counts."""

    name: str
    clickhouse_name: str
    min_args: int
    max_args: int | None
    aggregate: bool = False
    min_params: int = 0
    max_params: int | None = 0


_SCALARS = """
plus 2 minus 2 multiply 2 divide 2 intDiv 2 intDivOrZero 2 modulo 2 moduloOrZero 2
positiveModulo 2 negate 1 abs 1 gcd 2 lcm 2 max2 2 min2 2
empty 1 notEmpty 1 length 1 reverse 1
array 0+ range 1-3 arrayConcat 2+ arrayElement 2 has 2 hasAll 2 hasAny 2 hasSubstr 2
indexOf 2 arrayCount 1+ countEqual 2 arrayEnumerate 1 arrayEnumerateUniq 1+ arrayPopBack 1
arrayPopFront 1 arrayPushBack 2 arrayPushFront 2 arrayResize 2-3 arraySlice 2-3 arraySort 1+
arrayReverseSort 1+ arrayUniq 1+ arrayJoin 1 arrayDifference 1 arrayDistinct 1
arrayEnumerateDense 1 arrayIntersect 1+ arrayReverse 1 arrayFilter 2+ arrayFlatten 1
arrayCompact 1 arrayZip 2+ arrayMap 2+ arrayFill 2+ arraySplit 2+ arrayExists 1+ arrayAll 1+
arrayFirst 2+ arrayLast 2+ arrayFirstIndex 2+ arrayLastIndex 2+ arrayMin 1-2 arrayMax 1-2
arraySum 1-2 arrayAvg 1-2 arrayCumSum 1+ arrayProduct 1 arrayStringConcat 1-2
splitByChar 2-3 splitByString 2-3 splitByRegexp 2-3 splitByWhitespace 1-2 alphaTokens 1-2
tuple 1+ tupleElement 2-3 untuple 1 mapKeys 1 mapValues 1 map 0+ mapContains 2
equals 2 notEquals 2 less 2 greater 2 lessOrEquals 2 greaterOrEquals 2
and 2+ or 2+ xor 2+ not 1
toInt=toInt64OrNull 1 _toInt64=toInt64 1 toInt64 1 toInt32 1 toInt16 1 toInt8 1 toUInt64 1
toUInt32 1 toUInt8 1 toFloat=toFloat64OrNull 1 toFloat64 1 toFloat32 1
toInt64OrNull 1 toInt64OrZero 1 toFloat64OrNull 1 toFloat64OrZero 1
toDecimal=toDecimal64OrNull 1-2 toUUID=toUUIDOrNull 1 toString 1-2 toJSONString 1 toBool 1
toTypeName 1 parseDateTime=parseDateTimeOrNull 2-3 parseDateTimeBestEffort=parseDateTime64BestEffortOrNull 1-2
parseDateTime64BestEffortOrNull 1-3 toDateOrNull 1 toDateTimeOrNull 1-2 reinterpretAsString 1
toTimeZone 2 timeZoneOf 1 timeZoneOffset 1 toYear 1 toQuarter 1 toMonth 1 toDayOfYear 1
toDayOfMonth 1 toDayOfWeek 1-3 toHour 1 toMinute 1 toSecond 1 toUnixTimestamp 1-2
toUnixTimestamp64Milli 1 toStartOfYear 1 toStartOfISOYear 1 toStartOfQuarter 1
toStartOfMonth 1 toLastDayOfMonth 1 toMonday 1 toStartOfWeek 1-3 toStartOfDay 1-2
toLastDayOfWeek 1-2 toStartOfHour 1-2 toStartOfMinute 1-2 toStartOfSecond 1-2
toStartOfFiveMinutes 1-2 toStartOfTenMinutes 1-2 toStartOfFifteenMinutes 1-2
toStartOfInterval 2-3 toTime 1 toISOYear 1 toISOWeek 1 toWeek 1-3 toYearWeek 1-3 age 3-4
dateDiff 3-4 date_diff=dateDiff 3-4 dateTrunc 2-3 date_trunc=dateTrunc 2-3 dateAdd 2-3
date_add=dateAdd 2-3 dateSub 2-3 date_sub=dateSub 2-3 timeStampAdd 2 timeStampSub 2
today 0 yesterday 0 timeSlot 1 toYYYYMM 1 toYYYYMMDD 1 toYYYYMMDDhhmmss 1
addYears 2 addMonths 2 addWeeks 2 addDays 2 addHours 2 addMinutes 2 addSeconds 2
addQuarters 2 subtractYears 2 subtractMonths 2 subtractWeeks 2 subtractDays 2
subtractHours 2 subtractMinutes 2 subtractSeconds 2 subtractQuarters 2 timeSlots 2-3
formatDateTime 2-3 dateName 2-3 monthName 1 fromUnixTimestamp 1-2 toIntervalSecond 1
toIntervalMinute 1 toIntervalHour 1 toIntervalDay 1 toIntervalWeek 1 toIntervalMonth 1
toIntervalQuarter 1 toIntervalYear 1 toDateTime64 2-3
lengthUTF8 1 leftPad 2-3 rightPad 2-3 lower 1 upper 1 lowerUTF8 1 upperUTF8 1 repeat 2
format 2+ concat 1+ concatWithSeparator 2+ substring 2-3 substr=substring 2-3 mid=substring 2-3
substringUTF8 2-3 left 2 right 2 appendTrailingCharIfAbsent 2 base64Encode 1 base64Decode 1
tryBase64Decode 1 endsWith 2 startsWith 2 trim=trimBoth 1 trimBoth 1 trimLeft 1 trimRight 1
ltrim=trimLeft 1 rtrim=trimRight 1 encodeURLComponent 1 decodeURLComponent 1
position 2-3 positionCaseInsensitive 2-3 positionUTF8 2-3 locate 2-3
multiSearchAny 2 multiSearchFirstIndex 2 match 2 multiMatchAny 2 extract 2 extractAll 2
extractAllGroupsHorizontal 2 extractAllGroupsVertical 2 like 2 ilike 2 notLike 2 notILike 2
ngramDistance 2 replace 3 replaceAll 3 replaceOne 3 replaceRegexpAll 3 replaceRegexpOne 3
regexpExtract 2-3 splitByNonAlpha 1-2 countSubstrings 2-3 countMatches 2 hex 1 unhex 1
MD5 1 SHA256 1 cityHash64 1+ sipHash64 1+ xxHash64 1+ murmurHash3_64 1+
protocol 1 domain 1 domainWithoutWWW 1 topLevelDomain 1 firstSignificantSubdomain 1
cutToFirstSignificantSubdomain 1 cutToFirstSignificantSubdomainWithWWW 1 port 1-2 path 1
pathFull 1 queryString 1 fragment 1 queryStringAndFragment 1 extractURLParameter 2
extractURLParameters 1 extractURLParameterNames 1 URLHierarchy 1 URLPathHierarchy 1
cutWWW 1 cutQueryString 1 cutFragment 1 cutQueryStringAndFragment 1 cutURLParameter 2
if 3 multiIf 3+ coalesce 1+ ifNull 2 nullIf 2 assumeNotNull 1 toNullable 1 isNull 1
isNotNull 1 isFinite 1 isInfinite 1 isNaN 1 greatest 2+ least 2+ in 2 notIn 2
JSONHas 1+ JSONLength 1+ JSONArrayLength 1 JSONType 1+ JSONExtractUInt 1+ JSONExtractInt 1+
JSONExtractFloat 1+ JSONExtractBool 1+ JSONExtractString 1+ JSONExtractKeys 1+
JSONExtractRaw 1+ JSONExtractArrayRaw 1+ JSONExtractKeysAndValues 1+ JSONExtract 2+
JSONExtractKeysAndValuesRaw 1+ visitParamExtractString 2 simpleJSONExtractString 2
round 1-2 floor 1-2 ceil 1-2 ceiling=ceil 1-2 trunc 1-2 truncate=trunc 1-2 roundBankers 1-2
roundToExp2 1 roundDown 2 sqrt 1 cbrt 1 exp 1 exp2 1 exp10 1 log 1 ln=log 1 log2 1 log10 1
pow 2 power=pow 2 sign 1 pi 0 e 0 sin 1 cos 1 tan 1 rand 0-1 rand64 0-1 randCanonical 0-1
intExp2 1 intExp10 1 bitAnd 2 bitOr 2 bitXor 2 bitNot 1 bitShiftLeft 2 bitShiftRight 2
generateUUIDv4 0-1 UUIDStringToNum 1 UUIDNumToString 1 formatReadableSize 1
formatReadableQuantity 1 formatReadableTimeDelta 1-2 toTypeName 1 bar 4 transform 3-4
row_number 0 rank 0 dense_rank 0 percent_rank 0 cume_dist 0 ntile 1
lagInFrame 1-3 leadInFrame 1-3 lag=lagInFrame 1-3 lead=leadInFrame 1-3 first_value 1
last_value 1 nth_value 2
"""

_AGGREGATES = """
count 0-1 countIf 1-2 countDistinctIf=uniqExactIf 1-2 min 1 minIf 2 max 1 maxIf 2 sum 1 sumIf 2
avg 1 avgIf 2 any 1 anyIf 2 anyLast 1 anyLastIf 2 anyHeavy 1 argMin 2 argMinIf 3 argMax 2
argMaxIf 3 avgWeighted 2 groupArray 1 groupArrayIf 2 groupUniqArray 1 groupUniqArrayIf 2
groupArrayInsertAt 2 groupArrayMovingAvg 1 groupArrayMovingSum 1 groupArraySample 1
groupArraySorted 1 groupBitAnd 1 groupBitOr 1 groupBitXor 1 sumMap 1+ minMap 1+ maxMap 1+
skewSamp 1 skewPop 1 kurtSamp 1 kurtPop 1 uniq 1+ uniqIf 2+ uniqExact 1+ uniqExactIf 2+
uniqHLL12 1+ uniqTheta 1+ uniqCombined 1+ uniqUpTo 1+ median 1 medianIf 2 medianExact 1
quantile 1 quantileIf 2 quantiles 1 quantilesIf 2 quantileExact 1 quantileTiming 1
quantileDeterministic 2 quantileTDigest 1 varPop 1 varSamp 1 stddevPop 1 stddevSamp 1
stddevSampIf 2 covarPop 2 covarSamp 2 corr 2 simpleLinearRegression 2 topK 1 topKIf 2
topKWeighted 2 sumIf 2 sumArray 1 sumDistinct 1 countDistinct=uniqExact 1+ entropy 1
boundingRatio 2 deltaSum 1 histogram 1 retention 1+ windowFunnel 2+ sequenceMatch 2+
sequenceCount 2+ sequenceNextNode 4+ groupConcat 1 any_value=any 1 first_value 1 last_value 1
"""

_PARAMETRIC = {
    "quantile": (1, 1),
    "quantileIf": (1, 1),
    "quantiles": (1, None),
    "quantilesIf": (1, None),
    "quantileExact": (1, 1),
    "quantileTiming": (1, 1),
    "quantileDeterministic": (1, 1),
    "quantileTDigest": (1, 1),
    "topK": (0, 2),
    "topKIf": (0, 2),
    "topKWeighted": (0, 2),
    "uniqUpTo": (1, 1),
    "groupArraySample": (1, 2),
    "groupArraySorted": (1, 1),
    "groupArrayMovingAvg": (0, 1),
    "groupArrayMovingSum": (0, 1),
    "histogram": (1, 1),
    "windowFunnel": (1, 2),
    "sequenceMatch": (1, 1),
    "sequenceCount": (1, 1),
    "sequenceNextNode": (2, 2),
    "groupConcat": (0, 2),
    "groupArray": (0, 1),
}
"""Aggregates taking ``(params)`` before ``(args)``: (min, max) parameter counts."""


def _parse(spec: str, *, aggregate: bool) -> dict[str, FunctionSpec]:
    tokens = spec.split()
    table: dict[str, FunctionSpec] = {}
    for name_part, arity in zip(tokens[::2], tokens[1::2], strict=True):
        name, _, ch_name = name_part.partition("=")
        if arity.endswith("+"):
            low, high = int(arity[:-1]), None
        elif "-" in arity:
            low_text, high_text = arity.split("-")
            low, high = int(low_text), int(high_text)
        else:
            low = high = int(arity)
        params = _PARAMETRIC.get(name, (0, 0)) if aggregate else (0, 0)
        table[name] = FunctionSpec(
            name, ch_name or name, low, high, aggregate, params[0], params[1]
        )
    return table


FUNCTIONS: dict[str, FunctionSpec] = {
    **_parse(_SCALARS, aggregate=False),
    **_parse(_AGGREGATES, aggregate=True),
}
"""Every callable HogQL function by its HogQL name."""

_BY_LOWER: dict[str, FunctionSpec] = {}
for _spec in FUNCTIONS.values():
    _BY_LOWER.setdefault(_spec.name.lower(), _spec)

WINDOW_ONLY = frozenset(
    {
        "row_number",
        "rank",
        "dense_rank",
        "percent_rank",
        "cume_dist",
        "ntile",
        "lagInFrame",
        "leadInFrame",
        "lag",
        "lead",
        "nth_value",
    }
)
"""Functions that only make sense with OVER (...)."""

TABLE_FUNCTIONS = frozenset(
    {
        "file",
        "url",
        "remote",
        "remoteSecure",
        "s3",
        "s3Cluster",
        "hdfs",
        "input",
        "mysql",
        "postgresql",
        "jdbc",
        "odbc",
        "sqlite",
        "executable",
        "cluster",
        "clusterAllReplicas",
        "numbers",
        "numbers_mt",
        "zeros",
        "generateRandom",
        "merge",
        "dictionary",
        "system",
        "azureBlobStorage",
        "gcs",
        "iceberg",
        "deltaLake",
        "hudi",
        "mongodb",
        "redis",
        "view",
    }
)
"""ClickHouse table functions: never reachable from HogQL (they read files, URLs, hosts)."""


def find_function(name: str) -> FunctionSpec | None:
    """The spec for ``name`` (exact, else case-insensitive as ClickHouse's own aliases), or None."""
    return FUNCTIONS.get(name) or _BY_LOWER.get(name.lower())


def arity_error(spec: FunctionSpec, found: int, *, term: str = "argument") -> str | None:
    """PostHog's wording when ``found`` arguments do not fit ``spec``, else None."""
    low, high = (
        (spec.min_args, spec.max_args) if term == "argument" else (spec.min_params, spec.max_params)
    )
    plural = "s" if low != 1 else ""
    if low == high and found != low:
        return f"Function '{spec.name}' expects {low} {term}{plural}, found {found}"
    if found < low:
        return f"Function '{spec.name}' expects at least {low} {term}{plural}, found {found}"
    if high is not None and found > high:
        plural = "s" if high != 1 else ""
        return f"Function '{spec.name}' expects at most {high} {term}{plural}, found {found}"
    return None


def unknown_function_message(name: str) -> str:
    """PostHog's error for an unknown function, with its nearest exposed name when one is
    close (``difflib.get_close_matches``, as ``printer/base.py`` does)."""
    import difflib

    close = difflib.get_close_matches(name, FUNCTIONS, 1)
    if close:
        return f"Unsupported function call '{name}(...)'. Perhaps you meant '{close[0]}(...)'?"
    return f"Unsupported function call '{name}(...)'"
