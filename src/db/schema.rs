// Written by hand rather than by `diesel print-schema`, because one schema
// must describe both the SQLite and the PostgreSQL migrations.

diesel::table! {
    letters (id) {
        id -> Text,
        slug -> Text,
        language -> Text,
        title -> Text,
        place -> Text,
        letter_date -> Date,
        addressees -> Text,
        preamble -> Text,
        body_markdown -> Text,
        goal -> Nullable<BigInt>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        published_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    signatures (id) {
        id -> Text,
        letter_id -> Text,
        name -> Text,
        titles -> Text,
        email -> Nullable<Text>,
        city -> Nullable<Text>,
        is_public -> Bool,
        tier -> Text,
        position -> Nullable<Integer>,
        status -> Text,
        language -> Text,
        consent_version -> Nullable<Text>,
        wants_updates -> Bool,
        confirmation_sends -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        confirmed_at -> Nullable<Timestamp>,
        withdrawn_at -> Nullable<Timestamp>,
        sort_key -> Text,
    }
}

diesel::table! {
    tokens (token_hash) {
        token_hash -> Text,
        signature_id -> Nullable<Text>,
        purpose -> Text,
        expires_at -> Nullable<Timestamp>,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        kind -> Text,
        recipient -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(signatures -> letters (letter_id));
diesel::joinable!(tokens -> signatures (signature_id));
diesel::allow_tables_to_appear_in_same_query!(letters, signatures, tokens, outbox);
