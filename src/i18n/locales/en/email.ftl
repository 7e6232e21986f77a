email-confirm-subject = Confirm your signature: { $title }
email-already-subject = You have already signed: { $title }
email-greeting = Hello { $name },
email-confirm-intro = You asked to sign the open letter “{ $title }”. For your signature to count, confirm it by opening this link:
email-confirm-action = Confirm my signature
email-confirm-expiry = This link is valid for { $days ->
        [one] { $days } day
       *[other] { $days } days
    }.
email-confirm-ignore = If you did not ask for this, ignore this message: without confirmation, nothing will be published.
email-withdraw-note = You can withdraw your signature at any time with this link:
email-already-intro = Someone, most likely you, asked to sign the open letter “{ $title }” with this address. Your signature is already confirmed: there is nothing to do.
email-signoff-letter = The organizers of the letter “{ $title }”
email-manage-note = To see or change what we keep about you:
email-unsubscribe-note = To stop news about this letter (your signature stays):
email-updated-subject = The letter you signed has changed: { $title }
email-updated-intro = The organizers of the open letter “{ $title }”, which you signed, have published a new version of it (version { $version }). Your signature stays tied to the version you signed.
email-updated-see = See what changed:
