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
        closed_at -> Nullable<Timestamp>,
        anonymise_after_days -> Nullable<Integer>,
        anonymised_at -> Nullable<Timestamp>,
        archived -> Bool,
        close_at -> Nullable<Timestamp>,
        moderation -> Text,
        current_version -> Integer,
        modified_at -> Nullable<Timestamp>,
        notified_at -> Nullable<Timestamp>,
        organized_by -> Text,
        publish_at -> Nullable<Timestamp>,
        contact_name -> Text,
        contact_email -> Text,
        privacy_officer_name -> Text,
        privacy_officer_email -> Text,
        share_summary -> Text,
    }
}

diesel::table! {
    letter_logos (letter_id) {
        letter_id -> Text,
        content_type -> Text,
        digest -> Text,
        width -> Integer,
        height -> Integer,
        data -> Binary,
        uploaded_at -> Timestamp,
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
        email_key -> Nullable<Text>,
        sends_window_start -> Nullable<Timestamp>,
        consent_at -> Nullable<Timestamp>,
        consent_letter_version -> Nullable<Integer>,
        verified_by -> Nullable<Text>,
        verified_at -> Nullable<Timestamp>,
        verified_how -> Nullable<Text>,
        moderation -> Text,
        excluded -> Bool,
        moderated_by -> Nullable<Text>,
        moderated_at -> Nullable<Timestamp>,
        verified_lines -> Nullable<Text>,
        sort_key -> Text,
        approved_at -> Nullable<Timestamp>,
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
        organizer_id -> Nullable<Text>,
        content -> Nullable<Text>,
        replaced_at -> Nullable<Timestamp>,
        links_key -> Nullable<BigInt>,
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
        signature_id -> Nullable<Text>,
        unsubscribe_url -> Nullable<Text>,
        sender_name -> Nullable<Text>,
        mailing_id -> Nullable<Text>,
        reply_to -> Nullable<Text>,
        links -> Nullable<Text>,
    }
}

diesel::table! {
    mailings (id) {
        id -> Text,
        letter_id -> Text,
        created_by -> Nullable<Text>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        started_at -> Nullable<Timestamp>,
        finished_at -> Nullable<Timestamp>,
        recipients -> Integer,
        queued -> Integer,
        sent -> Integer,
        failed -> Integer,
        next_after -> Nullable<Text>,
        sender_name -> Text,
        reply_to -> Text,
        language -> Nullable<Text>,
    }
}

diesel::table! {
    mailing_texts (mailing_id, language) {
        mailing_id -> Text,
        language -> Text,
        subject -> Text,
        body -> Text,
        letter_title -> Text,
    }
}

diesel::table! {
    organizers (id) {
        id -> Text,
        email -> Text,
        password_hash -> Nullable<Text>,
        is_admin -> Bool,
        disabled -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    letter_editors (letter_id, organizer_id) {
        letter_id -> Text,
        organizer_id -> Text,
        role -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        organizer_id -> Nullable<Text>,
        letter_id -> Nullable<Text>,
        action -> Text,
        detail -> Text,
        created_at -> Timestamp,
        args -> Nullable<Text>,
        signature_id -> Nullable<Text>,
    }
}

diesel::table! {
    protected_names (id) {
        id -> Text,
        letter_id -> Nullable<Text>,
        name -> Text,
        folded -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    letter_versions (id) {
        id -> Text,
        letter_id -> Text,
        number -> Integer,
        language -> Text,
        title -> Text,
        place -> Text,
        letter_date -> Date,
        addressees -> Text,
        preamble -> Text,
        body_markdown -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    letter_translations (letter_id, language) {
        letter_id -> Text,
        language -> Text,
        title -> Text,
        place -> Text,
        addressees -> Text,
        preamble -> Text,
        body_markdown -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    letter_version_translations (letter_id, number, language) {
        letter_id -> Text,
        number -> Integer,
        language -> Text,
        title -> Text,
        place -> Text,
        addressees -> Text,
        preamble -> Text,
        body_markdown -> Text,
    }
}

diesel::table! {
    affiliation_domains (id) {
        id -> Text,
        letter_id -> Text,
        affiliation -> Text,
        domain -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        organizer_id -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        ended_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    probes (id) {
        id -> Text,
        probed_at -> Timestamp,
    }
}

diesel::table! {
    csv_uploads (id) {
        id -> Text,
        letter_id -> Text,
        file_hash -> Text,
        file_name -> Text,
        content -> Text,
        uploaded_by -> Text,
        created_at -> Timestamp,
        imported_at -> Nullable<Timestamp>,
        imported_by -> Nullable<Text>,
        imported_mode -> Nullable<Text>,
        imported_count -> Nullable<Integer>,
    }
}

diesel::table! {
    collected_signatures (signature_id) {
        signature_id -> Text,
        letter_id -> Text,
        upload_id -> Text,
        collected_by -> Text,
        collected_on -> Date,
        collected_how -> Text,
    }
}

diesel::table! {
    signature_words (signature_id, word) {
        signature_id -> Text,
        letter_id -> Text,
        word -> Text,
    }
}

diesel::table! {
    rate_limits (action, key_hash) {
        action -> Text,
        key_hash -> Binary,
        tat_us -> BigInt,
        allowed -> Bool,
    }
}

diesel::joinable!(signatures -> letters (letter_id));
diesel::joinable!(sessions -> organizers (organizer_id));
diesel::joinable!(letter_editors -> letters (letter_id));
diesel::joinable!(letter_editors -> organizers (organizer_id));
diesel::joinable!(tokens -> signatures (signature_id));
diesel::joinable!(mailing_texts -> mailings (mailing_id));
diesel::allow_tables_to_appear_in_same_query!(
    letters,
    letter_logos,
    signatures,
    tokens,
    outbox,
    organizers,
    letter_editors,
    audit_log,
    protected_names,
    letter_versions,
    letter_version_translations,
    letter_translations,
    affiliation_domains,
    sessions,
    mailings,
    mailing_texts,
    csv_uploads,
    collected_signatures,
    signature_words
);
