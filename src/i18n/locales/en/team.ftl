# The organizer team, invitations and the audit log as sentences.

## The invitation email
email-invite-subject = Your organizer account
email-invite-intro = { $by } invites you to organize open letters on this site. Choose your password with this link:
email-invite-expiry = This link is valid for 24 hours and works once. If you did not expect this message, ignore it.

## Accounts
ws-invitation-sent = Invitation sent to { $email }: the link to choose a password, valid for 24 hours, is on its way by email.
ws-accounts-log = Accounts log
ws-disable-yourself = You cannot disable your own account; another admin can.

## A letter’s team
ws-team-make-owner = Make owner
ws-team-make-editor = Make co-editor
ws-team-transfer = Hand the letter over
ws-team-action-for = { $label } ({ $email })
ws-team-remove = Remove
ws-team-changed = The letter’s team has changed.
ws-team-refused = Change refused
ws-team-last-owner = A letter always keeps at least one owner: name another one first.
ws-audit-empty = Nothing is in the log yet.

## Who did it
audit-who-service = The service
audit-who-command-line = The operator (command line)
audit-legacy = { $who } · { $what } · { $detail }
audit-legacy-bare = { $who } · { $what }
audit-window-between = between { $from } and { $to }
audit-window-from = from { $from } on
audit-window-to = before { $to }

## Short labels of the new actions
audit-editor-removed = Member removed
audit-editor-role = Role changed
audit-owner-transferred = Letter handed over
audit-letter-schedule-cancel = Scheduled closing cancelled
audit-letter-publish-schedule-cancel = Scheduled publication cancelled
audit-signature-renamed = Name corrected by the signer

## The audit log’s sentences
audit-line-letter-created = { $who } created the letter “{ $title }”.
audit-line-letter-edited = { $change ->
    [version] { $who } changed the letter’s text; this is version { $version }.
    [correction] { $who } corrected the text of the current version.
   *[other] { $who } changed the draft.
  }
audit-line-letter-published = { $who } published the letter “{ $title }”.
audit-line-letter-close = { $who } closed the signatures.
audit-line-letter-reopen = { $who } reopened the signatures.
audit-line-letter-schedule = { $who } scheduled the signatures to close at { $at }.
audit-line-letter-schedule-cancel = { $had ->
    [yes] { $who } cancelled the closing planned for { $was }.
   *[other] { $who } cancelled the scheduled closing.
  }
audit-line-letter-publish-schedule = { $who } scheduled the letter to publish at { $at }.
audit-line-letter-publish-schedule-cancel = { $had ->
    [yes] { $who } cancelled the publication planned for { $was }.
   *[other] { $who } cancelled the scheduled publication.
  }
audit-line-letter-archive = { $who } archived the letter.
audit-line-letter-unarchive = { $who } took the letter out of the archive.
audit-line-letter-anonymise = { $who } anonymised the letter: { $n ->
    [one] { $n } signature lost its email address.
   *[other] { $n } signatures lost their email address.
  }
audit-line-letter-exported = { $who } exported { $list ->
    [all] every signature, with their email addresses
    [initial] the initial signatories
   *[other] the public list
  } ({ $format } format).
audit-line-editor-added = { $who } shared the letter with { $email }.
audit-line-editor-removed = { $who } removed { $email } from the letter’s team.
audit-line-editor-role = { $role ->
    [owner] { $who } made { $email } an owner of the letter.
   *[other] { $who } made { $email } a co-editor of the letter.
  }
audit-line-owner-transferred = { $who } handed the letter over to { $email }, now its only owner.
audit-line-signatory-added = { $who } added “{ $name }” to the initial signatories.
audit-line-signatory-save = { $who } changed “{ $name }” among the initial signatories (now “{ $new }”).
audit-line-signatory-delete = { $who } removed “{ $name }” from the initial signatories.
audit-line-signatory-up = { $who } moved “{ $name }” up the list of initial signatories.
audit-line-signatory-down = { $who } moved “{ $name }” down the list of initial signatories.
audit-line-signatory-verify = { $noted ->
    [yes] { $who } verified “{ $name }”: { $how }.
   *[other] { $who } verified “{ $name }”.
  }
audit-line-signatories-imported = { $who } imported { $n ->
    [one] { $n } initial signatory
   *[other] { $n } initial signatories
  } ({ $skipped ->
    [one] { $skipped } already there, left out
   *[other] { $skipped } already there, left out
  }).
audit-line-organizer-created = { $role ->
    [admin] { $who } invited { $email } as an admin.
   *[other] { $who } invited { $email } as an organizer.
  }
audit-line-organizer-disabled = { $who } disabled the account of { $email }.
audit-line-organizer-enabled = { $who } enabled the account of { $email } again.
audit-line-password-set = { $who } chose their password.
audit-line-signature-renamed = { $erased ->
    [yes] A signer, who has since withdrawn, had corrected their name.
   *[other] A signer corrected their name: “{ $old }” became “{ $new }”.
  }
audit-line-moderation-approve = { $who } approved { $n ->
    [one] { $n } signature.
   *[other] { $n } signatures.
  }
audit-line-moderation-hide = { $who } hid { $n ->
    [one] { $n } signature.
   *[other] { $n } signatures.
  }
audit-line-moderation-hideandexclude = { $who } hid { $n ->
    [one] { $n } signature and took it out of the count.
   *[other] { $n } signatures and took them out of the count.
  }
audit-line-moderation-include = { $who } counted { $n ->
    [one] { $n } signature again.
   *[other] { $n } signatures again.
  }
audit-line-moderation-mode = { $mode ->
    [review] { $who } chose to review every signature before it shows.
   *[other] { $who } chose to show signatures at once.
  }
audit-line-moderation-bulk-hide = { $who } hid { $n ->
    [one] { $n } signature
   *[other] { $n } signatures
  } { $scope ->
    [domain] from { $domain }
    [time] { $window }
   *[other] from { $domain } { $window }
  }{ $excluded ->
    [yes] , taken out of the count.
   *[other] .
  }
audit-line-protected-added = { $who } protected the name “{ $name }”.
audit-line-protected-removed = { $who } removed the protection of the name “{ $name }”.
audit-line-signers-notified = { $who } told { $n ->
    [one] { $n } signer
   *[other] { $n } signers
  } of the new version.
audit-line-translation-saved = { $change ->
    [version] { $who } saved the translated text ({ $language }); this is version { $version }.
    [correction] { $who } corrected the translated text ({ $language }) of the current version.
   *[other] { $who } saved the translated text ({ $language }).
  }
audit-line-translation-deleted = { $change ->
    [version] { $who } deleted the translated text ({ $language }); this is version { $version }.
   *[other] { $who } deleted the translated text ({ $language }).
  }
audit-line-affiliation-added = { $who } linked the affiliation “{ $affiliation }” to the addresses at @{ $domain }.
audit-line-affiliation-removed = { $who } unlinked “{ $affiliation }” from the addresses at @{ $domain }.
