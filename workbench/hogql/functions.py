"""Names of ClickHouse and HogQL functions, for highlighting and formatting.

Not exhaustive: the lexer also highlights any identifier followed by ``(`` as a
function.  The list matters where a name is also a keyword (``if``, ``cast``,
``extract``, ``position``): followed by ``(`` these are function calls.  Word
operators that double as functions (``and``, ``or``, ``not``, ``in``, ``like``)
are left out on purpose: ``x AND (y)`` is far more common than ``and(x, y)``.
"""

from __future__ import annotations

_FUNCTION_NAMES = """
    count countIf countDistinct sum sumIf avg avgIf min minIf max maxIf any anyIf anyLast
    argMin argMax argMinIf argMaxIf uniq uniqIf uniqExact uniqExactIf uniqHLL12 uniqCombined
    groupArray groupArrayIf groupUniqArray groupArraySample groupArrayMovingSum groupBitOr
    groupBitAnd quantile quantiles quantileIf quantileExact quantileTiming quantileDeterministic
    median medianIf stddevPop stddevSamp varPop varSamp covarPop covarSamp corr topK topKIf
    sumMap minMap maxMap histogram retention windowFunnel sequenceMatch sequenceCount
    simpleLinearRegression boundingRatio sparkline
    now now64 today yesterday toDate toDateTime toDateTime64 toDateOrNull toDateTimeOrNull
    toStartOfDay toStartOfWeek toStartOfMonth toStartOfQuarter toStartOfYear toStartOfHour
    toStartOfMinute toStartOfSecond toStartOfFiveMinutes toStartOfTenMinutes
    toStartOfFifteenMinutes toStartOfInterval toStartOfISOYear toMonday toYear toQuarter
    toMonth toWeek toISOWeek toISOYear toDayOfYear toDayOfMonth toDayOfWeek toHour toMinute
    toSecond toUnixTimestamp toUnixTimestamp64Milli fromUnixTimestamp
    fromUnixTimestamp64Milli toYYYYMM toYYYYMMDD toYYYYMMDDhhmmss toTimeZone toTimezone
    timeZone dateDiff date_diff dateAdd date_add dateSub date_sub dateTrunc date_trunc
    addSeconds addMinutes addHours addDays addWeeks addMonths addQuarters addYears
    subtractSeconds subtractMinutes subtractHours subtractDays subtractWeeks subtractMonths
    subtractQuarters subtractYears toIntervalSecond toIntervalMinute toIntervalHour
    toIntervalDay toIntervalWeek toIntervalMonth toIntervalQuarter toIntervalYear
    formatDateTime parseDateTime parseDateTimeBestEffort parseDateTimeBestEffortOrNull
    parseDateTime64BestEffort parseDateTime64BestEffortOrNull timeSlot timeSlots
    toString toFixedString toInt toInt8 toInt16 toInt32 toInt64 toInt128 toUInt8 toUInt16
    toUInt32 toUInt64 toFloat toFloat32 toFloat64 toDecimal toDecimal32 toDecimal64
    toDecimal128 toIntOrNull toIntOrZero toInt64OrNull toInt64OrZero toFloatOrNull
    toFloatOrZero toFloat64OrNull toFloat64OrZero toUUID toUUIDOrNull toBool toTypeName
    toJSONString reinterpretAsString reinterpretAsUInt64 accurateCastOrNull cast
    length lengthUTF8 empty notEmpty lower upper lowerUTF8 upperUTF8 concat concatWithSeparator
    substring substr substringUTF8 left right leftPad rightPad trim trimLeft trimRight
    trimBoth reverse repeat replace replaceAll replaceOne replaceRegexpAll replaceRegexpOne
    splitByChar splitByString splitByRegexp splitByWhitespace position positionCaseInsensitive
    positionUTF8 locate startsWith endsWith match extract extractAll extractGroups
    multiMatchAny multiSearchAny ngramDistance format base64Encode base64Decode
    tryBase64Decode encodeURLComponent decodeURLComponent domain domainWithoutWWW
    topLevelDomain protocol path pathFull queryString fragment cutQueryString cutFragment
    cutQueryStringAndFragment extractURLParameter extractURLParameters URLHierarchy
    toValidUTF8 normalizeUTF8NFC
    JSONExtract JSONExtractString JSONExtractInt JSONExtractUInt JSONExtractFloat
    JSONExtractBool JSONExtractRaw JSONExtractArrayRaw JSONExtractKeys
    JSONExtractKeysAndValues JSONHas JSONLength JSONType JSONArrayLength isValidJSON
    visitParamExtractString visitParamExtractRaw
    array arrayJoin arrayMap arrayFilter arrayExists arrayAll arrayCount arraySum arrayAvg
    arrayMin arrayMax arrayFirst arrayLast arrayFirstIndex arraySort arrayReverseSort
    arrayDistinct arrayElement arrayConcat arraySlice arrayUniq arrayZip arrayReduce
    arrayEnumerate arrayEnumerateUniq arrayCompact arrayStringConcat arrayFlatten
    arrayIntersect arrayReverse arrayPushBack arrayPushFront arrayPopBack arrayPopFront
    arrayResize arrayFill arrayCumSum arrayDifference arraySplit arrayPartialSort has
    hasAll hasAny hasSubstr indexOf range emptyArrayString emptyArrayUInt64 splitByNonAlpha
    if multiIf ifNull nullIf coalesce assumeNotNull toNullable isNull isNotNull isNaN
    isFinite isInfinite greatest least transform
    abs round roundBankers floor ceil ceiling trunc exp log ln log2 log10 sqrt cbrt pow
    power intDiv intDivOrZero modulo plus minus multiply divide negate rand rand64
    randCanonical sign e pi
    equals notEquals less greater lessOrEquals greaterOrEquals notLike notILike
    cityHash64 sipHash64 murmurHash3_64 xxHash64 farmHash64 MD5 SHA1 SHA256 hex unhex
    generateUUIDv4 UUIDStringToNum UUIDNumToString
    tuple tupleElement untuple map mapKeys mapValues mapContains
    row_number rank dense_rank percent_rank lag lead lagInFrame leadInFrame first_value
    last_value nth_value ntile
    matchesAction lookupDomainType lookupPaidSourceType hogql_lookupDomainType
    isIPAddressInRange toIPv4 toIPv6 IPv4NumToString IPv4StringToNum
    humanFriendlyNumber formatReadableSize formatReadableQuantity formatReadableTimeDelta
    bar ifElse
"""

FUNCTIONS: tuple[str, ...] = tuple(dict.fromkeys(_FUNCTION_NAMES.split()))
"""Known function names, deduplicated, in source order (ClickHouse + HogQL)."""
