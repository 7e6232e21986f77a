# English interface.

# The language itself: its own name (language switch), its locale for
# link previews, its thousands separator.
language-name = English
language-locale = en_CA
digit-group-separator = ,

site-name = undersigned
skip-to-content = Skip to content
language-switch-label = Language
footer-text = Signatures count only once confirmed by email. Email addresses are never published.

date-long = { $month ->
        [1] January
        [2] February
        [3] March
        [4] April
        [5] May
        [6] June
        [7] July
        [8] August
        [9] September
        [10] October
        [11] November
       *[12] December
    } { $day }, { $year }
place-date = { $place }, { $date }

signature-count = { $count ->
        [0] No signatures yet
        [one] { $display } signature
       *[other] { $display } signatures
    }
goal-progress = { $count } of a goal of { $goal }

home-heading = Open letters
home-empty = No letter is published yet.
letter-closed-badge = closed
letter-closed = This letter no longer accepts signatures.
latest-signatories = Latest signatures
no-signatories-yet = Nobody has signed publicly yet.
see-all-signatories = See the full list of signatories
signatories-heading = Signatories
pagination-label = Pages of the list
first-page = First page
next-page = Next page

sign-heading = Sign the letter
form-error-summary = The form has errors:
sign-not-recorded-summary = Your signature is not recorded yet:
field-name = Full name
field-titles = Titles or affiliations (optional)
field-titles-hint = One per line, up to 8, in the order they should appear. For example: President of the Federation of Housing Cooperatives (1998-2006)
field-email = Email address
field-email-hint = We will write to you to confirm your signature. Your address is never published.
field-city = City or region (optional)
field-visibility = How your signature appears
visibility-public = Show my name and titles in the public list
visibility-count-only = Count me only, without showing my name
field-consent = I agree that my name, titles, city, email address and display choice are stored, to count my signature, show it as I chose, and let me confirm or withdraw it. My address is neither published nor shared.
field-updates = I agree to receive news from the organizers of this letter.
sign-button = Sign

error-required = This field is required.
error-too-long = This field is longer than { $max ->
        [one] { $max } character
       *[other] { $max } characters
    }.
error-control-character = This field contains an invisible control character. Type it again rather than pasting it.
error-bidi-override = This field contains a character that reverses the direction of text. Remove it.
error-invalid-encoding = This field contains unreadable characters. Type it again.
error-check-mark = This field contains a check mark (✓), which the list keeps for titles verified by email. Remove it.
error-email-invalid = This email address is not valid. Check it, for example name@example.org.
error-email-too-long = This email address is too long.
error-titles-too-many = Give at most { $max ->
        [one] { $max } title or affiliation
       *[other] { $max } titles or affiliations
    }, one per line.
error-titles-line = Line { $line }: { $message }
labelled = { $label }: { $text }
error-consent-required = Tick this box so that your signature can be recorded.
error-visibility = Choose how your signature appears.

check-email-heading = Check your email
check-email-body = We have just written to you. Open the link in the message to confirm your signature: it counts only once confirmed.
check-email-hint = Nothing after a few minutes? Look in your spam folder, or sign again to get another message.

confirm-heading = Confirm your signature
confirm-body = { $name }, do you confirm that you sign the letter “{ $title }”?
confirm-button = Confirm my signature
confirmed-heading = Thank you, your signature is confirmed
confirmed-body = Your signature counts and appears in the list of signatories.
confirmed-body-count-only = Your signature counts. As you asked, your name is not shown.
already-confirmed-body = Your signature was already confirmed. It counts.
confirm-intro = This is what will be published if you confirm:
confirm-field-name = Name
confirm-field-titles = Titles and affiliations
confirm-field-city = City or region
confirm-field-visibility = Display
confirm-field-updates = News about the letter
confirm-updates-yes = Yes, write to me when the letter changes
confirm-updates-no = No
confirm-none = (none)
confirmed-body-held = Your signature counts. Your name will appear in the list of signatories once the organizers have reviewed it.
manage-held = Your name is waiting for the organizers’ review; it will appear in the list after that.
manage-hidden = The organizers have taken your name off the public list.
withdraw-intro = Changed your mind? You can withdraw your signature:
withdraw-link = Withdraw my signature
withdraw-heading = Withdraw your signature
withdraw-body = { $name }, do you want to withdraw your signature from the letter “{ $title }”? It will no longer be counted or shown.
withdraw-button = Withdraw my signature
withdrawn-heading = Your signature is withdrawn
withdrawn-body = It is no longer counted or shown. You can sign again whenever you like.
back-to-letter = Back to the letter
preview-banner = Preview.
preview-banner-detail = This is the letter as readers will see it. The signing form does not work in the preview.
preview-back = Back to the letter in the workspace

link-unknown-heading = Invalid link
link-unknown-body = This link is not recognised. Check that it was copied whole from the email.
link-used-heading = Link already used
link-used-body = This link has already been used and cannot be used again.
link-expired-heading = Link expired
link-expired-body = This confirmation link has expired. Sign again to get a new one.
link-replaced-heading = Link replaced
link-replaced-body = A newer request was made for this address, with different details: this link no longer works. Use the link in the most recent email, or sign again.
not-confirmed-heading = Signature not confirmed yet
not-confirmed-body = First confirm your signature with the link in the same email. You can then change it here.
letter-closed-heading = Letter closed
letter-closed-body = This letter no longer accepts signatures.
not-found-heading = Page not found
not-found-body = There is no page at this address.
method-not-allowed-heading = Action not possible
method-not-allowed-body = This page cannot be used this way.
payload-too-large-heading = Submission too large
payload-too-large-body = The form you sent is too large. Shorten the fields and try again.
bad-request-heading = Invalid request
bad-request-body = The request could not be read.
bad-time-heading = Check the date and time
bad-time-malformed = This date and time could not be read. Give them as YYYY-MM-DD HH:MM.
bad-time-skipped = This time does not exist on that day: the clocks skip it when they change. Choose a later time.
bad-time-past = This moment has already passed. Choose a date and time to come.
unavailable-heading = Service briefly unavailable
unavailable-body = The service cannot answer right now. Try again in a moment; nothing you typed was stored.
unavailable-form = The service is briefly unavailable: your signature is not stored yet. What you typed is still in the form; send it again in a few seconds.
server-error-heading = Server error
server-error-body = An unexpected error occurred. It has been logged. Try again in a moment.

honeypot-label = Leave this field empty
privacy-link = Privacy: what we keep and why
privacy-title = Privacy
too-many-heading = Too many attempts
too-many-body = Too many attempts from your connection. Try again in { $seconds ->
        [one] { $seconds } second
       *[other] { $seconds } seconds
    }; what you typed is kept.
error-form-expired = This form has expired. Check your details and send it again.
error-form-too-fast = The form was sent very quickly, before it could be accepted. Check your details, then select “Sign” again in a few seconds.
manage-heading = Manage your signature
unsubscribe-heading = No more news
unsubscribe-body = You will no longer receive news about the letter “{ $title }”. Your signature still counts and shows as you chose.
unsubscribe-ask = Stop news about the letter “{ $title }”? Your signature stays.
unsubscribe-button = Stop the news
manage-name-hint = As it will appear on the list. A changed name goes through the letter’s moderation again.
manage-link = Manage my signature
manage-saved = Your changes are saved.
manage-stored-heading = What we keep about you
manage-status = Status
status-pending = Waiting for confirmation
status-confirmed = Confirmed
status-withdrawn = Withdrawn
manage-signed-at = Signed on
manage-confirmed-at = Confirmed on
manage-consent = Consent
manage-consent-detail = Text version { $version }, given on { $at }, for version { $letter_version } of the letter
yes = Yes
no = No
manage-download = Download this data (JSON)
manage-edit-heading = Change your signature
manage-save = Save
error-name-markup = A name cannot contain the characters < or >.
error-name-formula = A name cannot start with =, +, - or @.
letter-modified = Modified on { $date }.
letter-versions-link = See the versions and what changed
versions-heading = Versions of the letter
version-label = Version { $n }, of { $date }
version-first = The text as first published.
verified-by-email = verified by email
export-signatories-heading = Signatories
export-count-only = Counted only, name not published
export-moderation-queued = Awaiting moderation, not published
export-moderation-hidden = Hidden by moderation
export-stamp-letter = { $title } · version { $version }
export-stamp-details = Exported { $time } · { $count ->
        [0] no signatories
        [one] { $display } signatory
       *[other] { $display } signatories
    } · fingerprint { $hash }
export-page = Page { $page } of { $total }
export-downloads = Download the public list:
export-download-text = text
export-download-csv = spreadsheet (CSV)
export-download-json = JSON

## Sharing and embedding
share-card-alt = The letter “{ $title }” and its signature count
embed-sign = Sign
embed-frame-title = Open letter: { $title }
ws-embed = Embed on another site
ws-embed-hint = Paste this code into a page of your site: it shows the title, the live count and a link to sign.
title-with-errors = Error: { $title }
