-- Merchant analytics (issue 19): hourly buckets per merchant and currency, maintained by the merchant-payments stream's
-- analytics consumer, so summaries read at most 24 rows a day of a merchant instead of scanning its payments. Hours in
-- UTC: a summary in any time zone regroups them (every zone's day starts on a UTC hour, save the few with 30- or
-- 45-minute offsets, whose days are approximated to the hour). The cursor is the last stream position applied per
-- merchant, written in the same transaction as the buckets, so a redelivered event is applied exactly once.
CREATE TABLE merchant_payment_hours (
    merchant_id      text        NOT NULL,
    currency         char(3)     NOT NULL,
    hour             timestamptz NOT NULL CHECK (date_trunc('hour', hour) = hour),
    payments         integer     NOT NULL DEFAULT 0 CHECK (payments >= 0),
    succeeded        integer     NOT NULL DEFAULT 0 CHECK (succeeded >= 0),
    declined         integer     NOT NULL DEFAULT 0 CHECK (declined >= 0),
    refunds          integer     NOT NULL DEFAULT 0 CHECK (refunds >= 0),
    volume           bigint      NOT NULL DEFAULT 0 CHECK (volume >= 0),
    refunded_amount  bigint      NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0),
    PRIMARY KEY (merchant_id, currency, hour)
);

CREATE TABLE merchant_analytics_cursors (
    merchant_id     text    PRIMARY KEY,
    transaction_id  xid8    NOT NULL,
    position        bigint  NOT NULL
);
