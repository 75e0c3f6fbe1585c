-- Payment requests: a requester asks a requestee for money. Ids are UUIDv7, so "ORDER BY id DESC" is newest first
-- and the id is the page cursor. 'paying' is held only while the requestee's transfer is in flight; the transfer's
-- idempotency record (scope 'payment-request', key = this id) is what makes a second payment impossible.
CREATE TABLE payment_requests (
    id               uuid        PRIMARY KEY,
    requester        uuid        NOT NULL REFERENCES users (id),
    requestee        uuid        NOT NULL REFERENCES users (id),
    amount           bigint      NOT NULL CHECK (amount BETWEEN 1 AND 500000),
    currency         char(3)     NOT NULL,
    note             text        NOT NULL CHECK (length(note) <= 280),
    status           text        NOT NULL CHECK (status IN ('pending', 'paying', 'paid', 'declined', 'cancelled', 'expired')),
    transfer_id      uuid        UNIQUE,
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    CHECK (requester <> requestee),
    CHECK ((status = 'paid') = (transfer_id IS NOT NULL))
);
CREATE INDEX payment_requests_sent ON payment_requests (requester, id DESC);
CREATE INDEX payment_requests_received ON payment_requests (requestee, id DESC);

-- Friend requests; at most one pending request per pair of users, whichever way it was sent.
CREATE TABLE friend_requests (
    id          uuid        PRIMARY KEY,
    requester   uuid        NOT NULL REFERENCES users (id),
    addressee   uuid        NOT NULL REFERENCES users (id),
    status      text        NOT NULL CHECK (status IN ('pending', 'accepted')),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    CHECK (requester <> addressee)
);
CREATE UNIQUE INDEX friend_requests_one_pending_per_pair
    ON friend_requests (LEAST(requester, addressee), GREATEST(requester, addressee)) WHERE status = 'pending';
CREATE INDEX friend_requests_addressee ON friend_requests (addressee, id DESC) WHERE status = 'pending';
CREATE INDEX friend_requests_requester ON friend_requests (requester, id DESC) WHERE status = 'pending';

-- Friendship is symmetric and stored both ways, so "friends of X" is one read of the primary key's prefix.
CREATE TABLE friendships (
    user_id     uuid        NOT NULL REFERENCES users (id),
    friend_id   uuid        NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (user_id, friend_id),
    CHECK (user_id <> friend_id)
);

-- The feed. A post is one completed transfer as the TransferCompleted event carried it (so the feed depends only on
-- the outbox contract, not on the ledger's tables); an item puts a post in one user's feed. Items are written in
-- bulk by the fan-out, and the primary key makes a redelivered event a no-op. Transfer ids are UUIDv7: the primary
-- key is also the feed's newest-first order and its cursor.
CREATE TABLE feed_posts (
    transfer_id  uuid        PRIMARY KEY,
    from_user    uuid        NOT NULL,
    to_user      uuid        NOT NULL,
    amount       bigint      NOT NULL,
    currency     char(3)     NOT NULL,
    note         text        NOT NULL,
    visibility   text        NOT NULL CHECK (visibility IN ('public', 'friends', 'private')),
    created_at   timestamptz NOT NULL
);
CREATE INDEX feed_posts_public ON feed_posts (transfer_id DESC) WHERE visibility = 'public';

CREATE TABLE feed_items (
    owner_id     uuid        NOT NULL,
    transfer_id  uuid        NOT NULL,
    PRIMARY KEY (owner_id, transfer_id)
);

CREATE TABLE feed_likes (
    transfer_id  uuid        NOT NULL REFERENCES feed_posts (transfer_id),
    user_id      uuid        NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (transfer_id, user_id)
);

CREATE TABLE feed_comments (
    id           uuid        PRIMARY KEY,
    transfer_id  uuid        NOT NULL REFERENCES feed_posts (transfer_id),
    author_id    uuid        NOT NULL REFERENCES users (id),
    text         text        NOT NULL CHECK (length(text) BETWEEN 1 AND 280),
    created_at   timestamptz NOT NULL
);
CREATE INDEX feed_comments_post ON feed_comments (transfer_id, id);
