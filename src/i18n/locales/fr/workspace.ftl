forbidden-heading = Accès refusé
forbidden-body = Vous ne pouvez pas faire cette action. Si vous avez envoyé un formulaire, rechargez la page et recommencez.
error-slug = Utilisez seulement des lettres minuscules sans accents, des chiffres et des traits d’union simples.
error-slug-taken = Cette adresse est déjà prise par une autre lettre.
error-language = Choisissez le français ou l’anglais.
ws-choose-language = Choisir la langue de la lettre…
ws-correction = Simple correction (pas de nouvelle version)
ws-correction-hint = Pour une coquille ou une virgule : la version en cours prend le texte corrigé et garde son numéro. Sans cette case, toute modification du texte, dans l’une ou l’autre langue, crée une nouvelle version.
error-date = Indiquez une date comme 2026-03-03.
error-goal = L’objectif doit être un nombre entier positif, ou rester vide.
email-reset-subject = Choisir un nouveau mot de passe
email-reset-intro = Quelqu’un, sans doute vous, a demandé à changer le mot de passe de votre compte d’organisateur. Choisissez-en un nouveau avec ce lien :
email-reset-expiry = Ce lien est valable 24 heures et ne sert qu’une fois. Si vous n’avez rien demandé, ignorez ce message.

ws-nav-label = Espace des organisateurs
ws-letters = Mes lettres
ws-organizers = Organisateurs
ws-sign-out = Se déconnecter
ws-sign-in-heading = Espace des organisateurs
ws-sign-in = Se connecter
ws-sign-in-failed = Adresse ou mot de passe incorrect.
ws-sign-in-too-many = Trop de tentatives de connexion. Réessayez dans { $seconds } { $seconds ->
        [one] seconde
       *[other] secondes
    }.
ws-password = Mot de passe
ws-forgot-link = Mot de passe oublié ?
ws-forgot-heading = Mot de passe oublié
ws-forgot-button = Recevoir un lien
ws-forgot-sent = Si un compte existe à cette adresse, un lien pour choisir un nouveau mot de passe vient d’y être envoyé.
ws-setup-heading = Choisir votre mot de passe
ws-new-password = Nouveau mot de passe
ws-password-hint = Au moins 10 caractères. Une phrase facile à retenir convient très bien.
ws-repeat-password = Répétez le mot de passe
ws-save-password = Enregistrer le mot de passe
ws-password-length = Le mot de passe doit compter de { $min } à { $max ->
        [one] { $max } caractère
       *[other] { $max } caractères
    }.
ws-password-mismatch = Les deux mots de passe ne sont pas identiques.
ws-new-letter = Nouvelle lettre
ws-edit-letter = Modifier la lettre
ws-no-letters = Vous n’avez encore aucune lettre.
ws-col-title = Titre
ws-col-status = État
ws-col-signatures = Signatures
ws-col-role = Rôle
ws-col-when = Quand
ws-col-who = Qui
ws-audit-automatic = Le service (selon l’horaire, ou en ligne de commande)
ws-col-what = Action
ws-col-detail = Détail
ws-status-draft = Brouillon
ws-status-published = Publiée
ws-status-closed = Fermée
ws-archived = archivée
ws-field-slug = Adresse de la lettre
ws-slug-hint = Par exemple avenir-cooperatives : la lettre sera à /letters/avenir-cooperatives.
ws-slug-locked = L’adresse ne change plus après la publication : des liens y mènent déjà.
ws-field-language = Langue de la lettre
ws-field-title = Titre
ws-field-place = Lieu
ws-field-date = Date
ws-field-addressees = Destinataires
ws-field-preamble = Phrase d’introduction des signataires
ws-field-body = Texte de la lettre
ws-body-hint = En Markdown : une ligne vide entre les paragraphes, ## pour un intertitre.
ws-field-goal = Objectif de signatures (facultatif)
ws-goal-hint = Affiche une barre de progression jusqu’à l’objectif ; le compte continue ensuite au-delà.
ws-field-organized-by = Organisme derrière la lettre (facultatif)
ws-organized-by-hint = Par exemple « La Coalition des coopératives d’habitation ». Les courriels aux signataires sont signés de ce nom, tel qu’écrit.
ws-save = Enregistrer
ws-preview = Aperçu
ws-public-page = Page publique
ws-initial-signatories = Premiers signataires
ws-audit = Journal des actions
ws-counts = Signatures
ws-count-confirmed = Confirmées : { $n }
ws-count-pending = En attente : { $n }
ws-count-withdrawn = Retirées : { $n }
ws-chart-label = Signatures confirmées par jour, 30 derniers jours
ws-life-cycle = Publication
ws-publish = Publier
ws-publish-heading = Publier la lettre
ws-publish-body = Une fois publiée, « { $title } » sera visible de tous à { $url } et pourra être signée. Son adresse ne pourra plus changer.
ws-publish-later = Publier plus tard
ws-publish-later-hint = Sous embargo, la lettre reste un brouillon, invisible du public, jusqu’à l’heure choisie ; elle paraît alors d’elle-même, avec ses premiers signataires.
ws-publish-at = Publier le (heure de { $zone })
ws-publish-scheduled = Publication programmée le { $time } (heure de { $zone }).
ws-publish-unschedule = Annuler la publication programmée
ws-close = Fermer les signatures
ws-close-at = Fermer automatiquement le (heure de { $zone })
ws-close-at-hint = Laissez vide pour annuler la fermeture prévue.
ws-schedule = Programmer
ws-reopen = Rouvrir les signatures
ws-archive = Archiver
ws-unarchive = Désarchiver
ws-latest = Dernières signatures
ws-editors = Personnes qui gèrent cette lettre
ws-role-owner = propriétaire
ws-role-editor = coéditeur
ws-role-admin = Administrateur
ws-role-organizer = Organisateur
ws-add-editor = Partager avec un organisateur (adresse courriel)
ws-add = Ajouter
ws-editor-added = La lettre est partagée.
ws-back = Retour
ws-delete = Retirer
ws-move-up = Monter
ws-move-down = Descendre
ws-verify = Marquer comme vérifié
ws-verified = Vérifié
ws-verified-how = Vérification (comment, par exemple « appel le 3 mars »)
ws-add-signatory = Ajouter un signataire
ws-import = Importer en collant une liste
ws-import-hint = Collez la liste telle qu’elle paraîtra : le nom sur une ligne, chaque titre sur la ligne suivante, une ligne vide avant la personne suivante.
ws-import-text = Liste
ws-import-preview = Aperçu de l’importation
ws-import-skipped = { $n ->
    [one] Une personne est déjà sur la liste (ou deux fois dans le texte collé) ; elle ne sera pas ajoutée de nouveau :
   *[other] { $n } personnes sont déjà sur la liste (ou deux fois dans le texte collé) ; elles ne seront pas ajoutées de nouveau :
}
ws-import-save = Ajouter ces signataires
ws-invite = Inviter un organisateur
ws-make-admin = Administrateur (gère les comptes et voit toutes les lettres)
ws-organizer-created = Compte créé pour { $email }. Envoyez-lui ce lien, valable 24 heures, pour choisir son mot de passe :
ws-organizer-exists = Un compte existe déjà à cette adresse.
ws-active = Actif
ws-invited = Invité
ws-disabled = Désactivé
ws-disable = Désactiver
ws-enable = Réactiver

audit-letter-created = Lettre créée
audit-letter-edited = Lettre modifiée
audit-letter-published = Lettre publiée
audit-letter-close = Signatures fermées
audit-letter-reopen = Signatures rouvertes
audit-letter-schedule = Fermeture programmée
audit-letter-publish-schedule = Publication programmée
audit-letter-archive = Lettre archivée
audit-letter-unarchive = Lettre désarchivée
audit-editor-added = Lettre partagée
audit-signatory-added = Signataire ajouté
audit-signatory-save = Signataire modifié
audit-signatory-delete = Signataire retiré
audit-signatory-up = Signataire monté
audit-signatory-down = Signataire descendu
audit-signatory-verify = Signataire vérifié
audit-signatories-imported = Signataires importés
audit-organizer-created = Organisateur invité
audit-organizer-disabled = Organisateur désactivé
audit-organizer-enabled = Organisateur réactivé
audit-password-set = Mot de passe choisi

ws-moderation = Modération
ws-moderation-mode = Signatures publiques confirmées
ws-mode-immediate = Affichées tout de suite
ws-mode-review = Affichées après approbation
ws-moderation-counts = En attente : { $queued } · masquées : { $hidden } · exclues du décompte : { $excluded }
ws-tab-queued = En attente
ws-tab-shown = Affichées
ws-tab-hidden = Masquées
ws-moderation-empty = Aucune signature ici.
ws-excluded = exclue du décompte
ws-matches-protected = Correspond au nom protégé « { $name } »
ws-approve = Approuver
ws-hide = Masquer
ws-hide-exclude = Masquer et ne plus compter
ws-include = Compter de nouveau
ws-bulk-hide = Masquer en lot
ws-bulk-domain = Domaine courriel (par exemple example.org)
ws-bulk-from = Signées à partir du (heure de { $zone })
ws-bulk-to = Signées avant le (heure de { $zone })
ws-bulk-exclude = Ne plus les compter non plus
ws-bulk-count = { $n ->
        [0] Aucune signature ne serait masquée.
        [one] Une signature serait masquée.
       *[other] { $n } signatures seraient masquées.
    }
ws-bulk-more = { $n ->
    [one] et une autre.
   *[other] et { $n } autres.
}
ws-bulk-apply = Masquer maintenant
ws-bulk-preview = Compter d’abord
ws-bulk-invalid = Vérifiez le domaine et les dates.
ws-bulk-domain-invalid = Ce n’est pas un domaine courriel. Indiquez-en un comme example.org, avec ou sans son @.
ws-bulk-empty = Indiquez un domaine, une période, ou les deux.
ws-protected = Noms protégés
ws-protected-hint = Une signature à l’un de ces noms, comparé sans majuscules ni accents, attend une approbation même si la lettre affiche les signatures tout de suite. Par exemple, les personnalités publiques qu’un plaisantin pourrait usurper.
ws-protected-site = Noms protégés du site
ws-count-queued = En attente d’approbation : { $n }
ws-count-hidden = Masquées : { $n } (dont { $excluded ->
        [one] { $excluded } exclue
       *[other] { $excluded } exclues
    } du décompte)
audit-moderation-approve = Signatures approuvées
audit-moderation-hide = Signatures masquées
audit-moderation-hideandexclude = Signatures masquées et exclues du décompte
audit-moderation-include = Signatures comptées de nouveau
audit-moderation-mode = Mode de modération changé
audit-moderation-bulk-hide = Masquage en lot
audit-protected-added = Nom protégé ajouté
audit-protected-removed = Nom protégé retiré
ws-versions-hint = La lettre est publiée : si vous changez son texte, une nouvelle version est créée, et chaque signature garde la version signée.
ws-notify-signers = Prévenir par courriel les signataires qui ont demandé des nouvelles
ws-notified = { $n ->
        [0] Nouvelle version enregistrée. Aucun signataire n’avait demandé de nouvelles.
        [one] Nouvelle version enregistrée. Un signataire sera prévenu.
       *[other] Nouvelle version enregistrée. { $n } signataires seront prévenus.
    }
ws-notify-limited = Les signataires de cette lettre ont déjà été prévenus il y a moins de { $hours ->
        [one] une heure
       *[other] { $hours } heures
    } : un nouveau courriel sera possible à partir du { $next }. Enregistrez sans cocher cette case pour garder la modification sans prévenir personne.
ws-notify-limited-saved = Nouvelle version enregistrée, mais personne n’a été prévenu : les signataires de cette lettre viennent de l’être.
audit-signers-notified = Signataires prévenus d’une nouvelle version
ws-translation-heading = Version en { $language }
ws-translation-hint = Le texte de la lettre dans cette langue. Les lecteurs qui lisent cette langue le verront ; les signatures comptent pour la même lettre. L’adresse, la date, l’objectif et les signataires sont communs.
audit-translation-saved = Version dans l’autre langue enregistrée
audit-translation-deleted = Version dans l’autre langue supprimée
ws-affiliations = Affiliations vérifiées par courriel
ws-affiliations-hint = Un signataire qui confirme depuis une adresse de ce domaine, et dont une ligne de titre nomme cette affiliation, reçoit la mention « vérifié par courriel » sur cette ligne.
ws-affiliation = Affiliation
ws-affiliation-domain = Domaine courriel
audit-affiliation-added = Affiliation associée à un domaine
audit-affiliation-removed = Association d’affiliation retirée
ws-anonymise = Anonymiser la lettre
ws-anonymise-hint = Efface l’adresse courriel de chaque signataire. La liste publique reste telle que publiée. C’est définitif, et la lettre ne pourra plus rouvrir.
ws-anonymised = Lettre anonymisée : plus aucune adresse n’est conservée.
audit-letter-anonymise = Lettre anonymisée
ws-export = Exporter pour la presse
ws-export-format = Format
ws-format-text = Texte
ws-format-html = Page à imprimer
ws-export-who = Qui figure dans la liste
ws-who-public = Premiers signataires et signataires publics
ws-who-initial = Premiers signataires seulement
ws-who-all = Tous les signataires confirmés, avec courriel (usage interne)
ws-export-order = Ordre
ws-order-list = Comme sur la liste
ws-order-surname = Par nom de famille
ws-export-columns = Colonnes (PDF et page à imprimer)
ws-export-mixed = Par nom de famille : mêler les premiers signataires aux autres
ws-export-list-only = La liste seulement, sans la lettre
ws-export-numbered = Liste numérotée
ws-export-no-stamp = Sans l’estampille (titre, version, heure, nombre, empreinte)
ws-export-bom = Marque d’ordre des octets pour Excel (CSV)
ws-export-button = Télécharger
audit-letter-exported = Liste exportée
ws-moderation-stale = { $n ->
    [one] Une signature a changé depuis l’affichage de la page : elle n’a pas été approuvée. Revoyez-la.
   *[other] { $n } signatures ont changé depuis l’affichage de la page : elles n’ont pas été approuvées. Revoyez-les.
}
