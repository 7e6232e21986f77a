# The organizer team, invitations and the audit log as sentences.

## The invitation email
email-invite-subject = Votre compte d’organisateur
email-invite-intro = { $by } vous invite à organiser des lettres ouvertes sur ce site. Choisissez votre mot de passe avec ce lien :
email-invite-expiry = Ce lien est valable 24 heures et ne sert qu’une fois. Si vous ne vous attendiez pas à ce message, ignorez-le.

## Accounts
ws-invitation-sent = Invitation envoyée à { $email } : le lien pour choisir un mot de passe, valable 24 heures, part par courriel.
ws-accounts-log = Journal des comptes
ws-disable-yourself = Vous ne pouvez pas désactiver votre propre compte ; un autre administrateur le peut.

## A letter's team
ws-team-make-owner = Rendre propriétaire
ws-team-make-editor = Rendre coéditeur
ws-team-transfer = Lui confier la lettre
ws-team-action-for = { $label } ({ $email })
ws-team-remove = Retirer
ws-team-changed = L’équipe de la lettre est modifiée.
ws-team-refused = Changement refusé
ws-team-last-owner = Une lettre garde toujours au moins un propriétaire : nommez-en un autre avant.
ws-audit-empty = Rien n’est encore inscrit au journal.

## Who did it
audit-who-service = Le service
audit-who-command-line = L’exploitant (en ligne de commande)
audit-legacy = { $who } · { $what } · { $detail }
audit-legacy-bare = { $who } · { $what }
audit-window-between = entre le { $from } et le { $to }
audit-window-from = à partir du { $from }
audit-window-to = avant le { $to }

## Short labels of the new actions
audit-editor-removed = Membre retiré
audit-editor-role = Rôle changé
audit-owner-transferred = Lettre confiée
audit-letter-schedule-cancel = Fermeture programmée annulée
audit-letter-publish-schedule-cancel = Publication programmée annulée
audit-signature-renamed = Nom corrigé par le signataire

## The audit log's sentences
audit-line-letter-created = { $who } a créé la lettre « { $title } ».
audit-line-letter-edited = { $change ->
    [version] { $who } a modifié le texte de la lettre ; c’est la version { $version }.
    [correction] { $who } a corrigé le texte de la version en cours.
   *[other] { $who } a modifié le brouillon.
  }
audit-line-letter-published = { $who } a publié la lettre « { $title } ».
audit-line-letter-close = { $who } a fermé les signatures.
audit-line-letter-reopen = { $who } a rouvert les signatures.
audit-line-letter-schedule = { $who } a programmé la fermeture des signatures pour le { $at }.
audit-line-letter-schedule-cancel = { $had ->
    [yes] { $who } a annulé la fermeture prévue le { $was }.
   *[other] { $who } a annulé la fermeture programmée.
  }
audit-line-letter-publish-schedule = { $who } a programmé la publication de la lettre pour le { $at }.
audit-line-letter-publish-schedule-cancel = { $had ->
    [yes] { $who } a annulé la publication prévue le { $was }.
   *[other] { $who } a annulé la publication programmée.
  }
audit-line-letter-archive = { $who } a archivé la lettre.
audit-line-letter-unarchive = { $who } a sorti la lettre des archives.
audit-line-letter-anonymise = { $who } a anonymisé la lettre : { $n ->
    [one] { $n } signature a perdu son adresse courriel.
   *[other] { $n } signatures ont perdu leur adresse courriel.
  }
audit-line-letter-exported = { $who } a exporté { $list ->
    [all] toutes les signatures, avec leurs adresses courriel
    [initial] les premiers signataires
   *[other] la liste publique
  } (format { $format }).
audit-line-editor-added = { $who } a partagé la lettre avec { $email }.
audit-line-editor-removed = { $who } a retiré { $email } de l’équipe de la lettre.
audit-line-editor-role = { $role ->
    [owner] { $who } a fait de { $email } un propriétaire de la lettre.
   *[other] { $who } a fait de { $email } un coéditeur de la lettre.
  }
audit-line-owner-transferred = { $who } a confié la lettre à { $email }, désormais seul propriétaire.
audit-line-signatory-added = { $who } a ajouté « { $name } » aux premiers signataires.
audit-line-signatory-save = { $who } a modifié « { $name } » parmi les premiers signataires (désormais « { $new } »).
audit-line-signatory-delete = { $who } a retiré « { $name } » des premiers signataires.
audit-line-signatory-up = { $who } a monté « { $name } » dans la liste des premiers signataires.
audit-line-signatory-down = { $who } a descendu « { $name } » dans la liste des premiers signataires.
audit-line-signatory-verify = { $noted ->
    [yes] { $who } a vérifié « { $name } » : { $how }.
   *[other] { $who } a vérifié « { $name } ».
  }
audit-line-signatories-imported = { $who } a importé { $n ->
    [one] { $n } premier signataire
   *[other] { $n } premiers signataires
  } ({ $skipped ->
    [one] { $skipped } déjà présent, laissé de côté
   *[other] { $skipped } déjà présents, laissés de côté
  }).
audit-line-organizer-created = { $role ->
    [admin] { $who } a invité { $email } comme administrateur.
   *[other] { $who } a invité { $email } comme organisateur.
  }
audit-line-organizer-disabled = { $who } a désactivé le compte de { $email }.
audit-line-organizer-enabled = { $who } a réactivé le compte de { $email }.
audit-line-password-set = { $who } a choisi son mot de passe.
audit-line-signature-renamed = { $erased ->
    [yes] Un signataire, qui a depuis retiré sa signature, avait corrigé son nom.
   *[other] Un signataire a corrigé son nom : « { $old } » devient « { $new } ».
  }
audit-line-moderation-approve = { $who } a approuvé { $n ->
    [one] { $n } signature.
   *[other] { $n } signatures.
  }
audit-line-moderation-hide = { $who } a masqué { $n ->
    [one] { $n } signature.
   *[other] { $n } signatures.
  }
audit-line-moderation-hideandexclude = { $who } a masqué { $n ->
    [one] { $n } signature et l’a retirée du décompte.
   *[other] { $n } signatures et les a retirées du décompte.
  }
audit-line-moderation-include = { $who } a remis { $n ->
    [one] { $n } signature dans le décompte.
   *[other] { $n } signatures dans le décompte.
  }
audit-line-moderation-mode = { $mode ->
    [review] { $who } a choisi de relire chaque signature avant de l’afficher.
   *[other] { $who } a choisi d’afficher les signatures sans attendre.
  }
audit-line-moderation-bulk-hide = { $who } a masqué { $n ->
    [one] { $n } signature
   *[other] { $n } signatures
  } { $scope ->
    [domain] de { $domain }
    [time] { $window }
   *[other] de { $domain } { $window }
  }{ $excluded ->
    [yes] , retirées du décompte.
   *[other] .
  }
audit-line-protected-added = { $who } a protégé le nom « { $name } ».
audit-line-protected-removed = { $who } a retiré la protection du nom « { $name } ».
audit-line-signers-notified = { $who } a prévenu { $n ->
    [one] { $n } signataire
   *[other] { $n } signataires
  } de la nouvelle version.
audit-line-translation-saved = { $change ->
    [version] { $who } a enregistré le texte traduit ({ $language }) ; c’est la version { $version }.
    [correction] { $who } a corrigé le texte traduit ({ $language }) de la version en cours.
   *[other] { $who } a enregistré le texte traduit ({ $language }).
  }
audit-line-translation-deleted = { $change ->
    [version] { $who } a supprimé le texte traduit ({ $language }) ; c’est la version { $version }.
   *[other] { $who } a supprimé le texte traduit ({ $language }).
  }
audit-line-affiliation-added = { $who } a associé l’affiliation « { $affiliation } » aux adresses @{ $domain }.
audit-line-affiliation-removed = { $who } a retiré l’association de « { $affiliation } » aux adresses @{ $domain }.
