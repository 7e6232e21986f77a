forbidden-heading = Access denied
forbidden-body = You cannot do this. If you sent a form, reload the page and try again.
error-slug = Use only lower-case letters without accents, digits and single hyphens.
error-slug-taken = This address is already taken by another letter.
error-language = Choose French or English.
ws-choose-language = Choose the letter’s language…
ws-correction = Just a correction (no new version)
ws-correction-hint = For a typo or a comma: the current version takes the corrected text and keeps its number. Without this box, any change of the text, in either language, makes a new version.
error-date = Give a date like 2026-03-03.
error-goal = The goal must be a positive whole number, or stay empty.
email-reset-subject = Choose a new password
email-reset-intro = Someone, most likely you, asked to change the password of your organizer account. Choose a new one with this link:
email-reset-expiry = This link is valid for 24 hours and works once. If you did not ask for this, ignore this message.

ws-nav-label = Organizers’ workspace
ws-letters = My letters
ws-organizers = Organizers
ws-sign-out = Sign out
ws-sign-in-heading = Organizers’ workspace
ws-sign-in = Sign in
ws-sign-in-failed = Wrong address or password.
ws-sign-in-too-many = Too many sign-in attempts. Try again in { $seconds } { $seconds ->
        [one] second
       *[other] seconds
    }.
ws-password = Password
ws-forgot-link = Forgot your password?
ws-forgot-heading = Forgotten password
ws-forgot-button = Send me a link
ws-forgot-sent = If an account exists at this address, a link to choose a new password has just been sent to it.
ws-setup-heading = Choose your password
ws-new-password = New password
ws-password-hint = At least 10 characters. An easy-to-remember sentence works well.
ws-repeat-password = Repeat the password
ws-save-password = Save the password
ws-password-length = The password must have { $min } to { $max ->
        [one] { $max } character
       *[other] { $max } characters
    }.
ws-password-mismatch = The two passwords differ.
ws-new-letter = New letter
ws-edit-letter = Edit the letter
ws-no-letters = You have no letters yet.
ws-col-title = Title
ws-col-status = Status
ws-col-signatures = Signatures
ws-col-role = Role
ws-col-when = When
ws-col-who = Who
ws-audit-automatic = The service (on schedule, or from the command line)
ws-col-what = Action
ws-col-detail = Detail
ws-status-draft = Draft
ws-status-published = Published
ws-status-closed = Closed
ws-archived = archived
ws-field-slug = Letter address
ws-slug-hint = For example housing-coops: the letter will be at /letters/housing-coops.
ws-slug-locked = The address is fixed once published: links already lead to it.
ws-field-language = Language of the letter
ws-field-title = Title
ws-field-place = Place
ws-field-date = Date
ws-field-addressees = Addressees
ws-field-preamble = Sentence introducing the signatories
ws-field-body = Text of the letter
ws-body-hint = In Markdown: a blank line between paragraphs, ## for a heading.
ws-field-goal = Signature goal (optional)
ws-goal-hint = Shows a progress bar until the goal is reached; the count then goes on past it.
ws-field-organized-by = Organization behind the letter (optional)
ws-organized-by-hint = For example “The Coalition of Housing Cooperatives”. Emails to signers are signed with this name, as written.
ws-save = Save
ws-preview = Preview
ws-public-page = Public page
ws-initial-signatories = Initial signatories
ws-audit = Audit log
ws-counts = Signatures
ws-count-confirmed = Confirmed: { $n }
ws-count-pending = Pending: { $n }
ws-count-withdrawn = Withdrawn: { $n }
ws-chart-label = Confirmed signatures per day, last 30 days
ws-life-cycle = Publication
ws-publish = Publish
ws-publish-heading = Publish the letter
ws-publish-body = Once published, “{ $title }” will be visible to everyone at { $url } and open for signing. Its address will no longer change.
ws-publish-later = Publish later
ws-publish-later-hint = Under embargo, the letter stays a draft, hidden from the public, until the time chosen; then it appears by itself, with its first signatories.
ws-publish-at = Publish at ({ $zone } time)
ws-publish-scheduled = Publication scheduled for { $time } ({ $zone } time).
ws-publish-unschedule = Cancel the scheduled publication
ws-close = Close signing
ws-close-at = Close automatically on ({ $zone } time)
ws-close-at-hint = Leave empty to cancel a scheduled closing.
ws-schedule = Schedule
ws-reopen = Reopen signing
ws-archive = Archive
ws-unarchive = Unarchive
ws-latest = Latest signatures
ws-editors = People who manage this letter
ws-role-owner = owner
ws-role-editor = co-editor
ws-role-admin = Admin
ws-role-organizer = Organizer
ws-add-editor = Share with an organizer (email address)
ws-add = Add
ws-editor-added = The letter is shared.
ws-back = Back
ws-delete = Remove
ws-move-up = Move up
ws-move-down = Move down
ws-verify = Mark as verified
ws-verified = Verified
ws-verified-how = Verification (how, for example “phoned on 3 March”)
ws-add-signatory = Add a signatory
ws-import = Import by pasting a list
ws-import-hint = Paste the list as it will appear: the name on one line, each title on the next lines, a blank line before the next person.
ws-import-text = List
ws-import-preview = Import preview
ws-import-skipped = { $n ->
    [one] One person is already on the list (or twice in the pasted text); they will not be added again:
   *[other] { $n } people are already on the list (or twice in the pasted text); they will not be added again:
}
ws-import-save = Add these signatories
ws-invite = Invite an organizer
ws-make-admin = Admin (manages accounts and sees every letter)
ws-organizer-created = Account created for { $email }. Send them this link, valid for 24 hours, to choose their password:
ws-organizer-exists = An account already exists at this address.
ws-active = Active
ws-invited = Invited
ws-disabled = Disabled
ws-disable = Disable
ws-enable = Enable

audit-letter-created = Letter created
audit-letter-edited = Letter edited
audit-letter-published = Letter published
audit-letter-close = Signing closed
audit-letter-reopen = Signing reopened
audit-letter-schedule = Closing scheduled
audit-letter-publish-schedule = Publication scheduled
audit-letter-archive = Letter archived
audit-letter-unarchive = Letter unarchived
audit-editor-added = Letter shared
audit-signatory-added = Signatory added
audit-signatory-save = Signatory edited
audit-signatory-delete = Signatory removed
audit-signatory-up = Signatory moved up
audit-signatory-down = Signatory moved down
audit-signatory-verify = Signatory verified
audit-signatories-imported = Signatories imported
audit-organizer-created = Organizer invited
audit-organizer-disabled = Organizer disabled
audit-organizer-enabled = Organizer enabled
audit-password-set = Password chosen

ws-moderation = Moderation
ws-moderation-mode = Confirmed public signatures
ws-mode-immediate = Shown at once
ws-mode-review = Shown once approved
ws-moderation-counts = Waiting: { $queued } · hidden: { $hidden } · excluded from the count: { $excluded }
ws-tab-queued = Waiting
ws-tab-shown = Shown
ws-tab-hidden = Hidden
ws-moderation-empty = No signatures here.
ws-excluded = excluded from the count
ws-matches-protected = Matches the protected name “{ $name }”
ws-approve = Approve
ws-hide = Hide
ws-hide-exclude = Hide and stop counting
ws-include = Count again
ws-bulk-hide = Hide in bulk
ws-bulk-domain = Email domain (for example example.org)
ws-bulk-from = Signed from ({ $zone } time)
ws-bulk-to = Signed before ({ $zone } time)
ws-bulk-exclude = Stop counting them too
ws-bulk-count = { $n ->
        [one] One signature would be hidden.
       *[other] { $n } signatures would be hidden.
    }
ws-bulk-more = { $n ->
    [one] and one more.
   *[other] and { $n } more.
}
ws-bulk-apply = Hide now
ws-bulk-preview = Count first
ws-bulk-invalid = Check the domain and the dates.
ws-bulk-domain-invalid = This is not an email domain. Give one such as example.org, with or without its @.
ws-bulk-empty = Give a domain, a time window, or both.
ws-protected = Protected names
ws-protected-hint = A signature in one of these names, compared without case or accents, waits for approval even when the letter shows signatures at once. For example, public figures a prankster might impersonate.
ws-protected-site = Site-wide protected names
ws-count-queued = Waiting for approval: { $n }
ws-count-hidden = Hidden: { $n } ({ $excluded } excluded from the count)
audit-moderation-approve = Signatures approved
audit-moderation-hide = Signatures hidden
audit-moderation-hideandexclude = Signatures hidden and excluded from the count
audit-moderation-include = Signatures counted again
audit-moderation-mode = Moderation mode changed
audit-moderation-bulk-hide = Bulk hide
audit-protected-added = Protected name added
audit-protected-removed = Protected name removed
ws-versions-hint = The letter is published: changing its text creates a new version, and each signature keeps the version it signed.
ws-notify-signers = Email the signers who asked for news about this change
ws-notified = { $n ->
        [0] New version saved. No signer had asked for news.
        [one] New version saved. One signer will be told.
       *[other] New version saved. { $n } signers will be told.
    }
ws-notify-limited = This letter’s signers were already told less than { $hours ->
        [one] an hour
       *[other] { $hours } hours
    } ago: another email can go out from { $next }. Save without ticking this box to keep the change without telling anyone.
ws-notify-limited-saved = New version saved, but nobody was told: this letter’s signers just were.
audit-signers-notified = Signers told of a new version
ws-translation-heading = Version in { $language }
ws-translation-hint = The letter’s text in this language. Readers of that language will see it; signatures count for the same letter. The address, date, goal and signatories are shared.
audit-translation-saved = Version in the other language saved
audit-translation-deleted = Version in the other language deleted
ws-affiliations = Affiliations verified by email
ws-affiliations-hint = A signer who confirms from an address at this domain, and whose title line names this affiliation, gets a “verified by email” mark on that line.
ws-affiliation = Affiliation
ws-affiliation-domain = Email domain
audit-affiliation-added = Affiliation mapped to a domain
audit-affiliation-removed = Affiliation mapping removed
ws-anonymise = Anonymise the letter
ws-anonymise-hint = Erases every signer’s email address. The public list stays as published. This is final, and the letter cannot reopen.
ws-anonymised = Letter anonymised: no address is kept any more.
audit-letter-anonymise = Letter anonymised
ws-export = Export for the press
ws-export-format = Format
ws-format-text = Text
ws-format-html = Print page
ws-export-who = Who is listed
ws-who-public = Initial and public signatories
ws-who-initial = Initial signatories only
ws-who-all = Every confirmed signer, with email (internal use)
ws-export-order = Order
ws-order-list = As on the list
ws-order-surname = By surname
ws-export-columns = Columns (PDF and print page)
ws-export-mixed = By surname: mix initial signatories with the others
ws-export-list-only = The list only, without the letter
ws-export-numbered = Numbered list
ws-export-no-stamp = Without the stamp (title, version, time, count, hash)
ws-export-bom = Byte order mark for Excel (CSV)
ws-export-button = Download
audit-letter-exported = List exported
ws-moderation-stale = { $n ->
    [one] One signature changed since the page was shown: it was not approved. Look at it again.
   *[other] { $n } signatures changed since the page was shown: they were not approved. Look at them again.
}
