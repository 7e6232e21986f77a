ws-mailings = Messages aux signataires
ws-mailing-subscribers = { $n ->
        [0] Aucun signataire confirmé de « { $title } » n’a encore demandé de nouvelles.
        [one] Un signataire confirmé de « { $title } » a demandé des nouvelles.
       *[other] { $n } signataires confirmés de « { $title } » ont demandé des nouvelles.
    }
ws-mailing-new = Écrire un message
ws-mailing-compose = Message aux signataires
ws-mailing-hint = Le message part à chaque signataire confirmé qui a demandé des nouvelles, dans la langue où il a signé ; sans texte dans sa langue, il reçoit celui de la langue de la lettre. Le texte est en Markdown. Chaque courriel se termine par un lien pour ne plus recevoir de nouvelles.
ws-mailing-other-language = Facultatif : laissez l’objet et le texte vides pour envoyer la version dans la langue de la lettre.
ws-mailing-subject = Objet
ws-mailing-body = Texte (Markdown)
ws-mailing-save = Enregistrer et prévisualiser
ws-mailing-test = M’envoyer un essai ({ $email })
ws-mailing-send-heading = Envoyer
ws-mailing-confirm = { $n ->
        [0] Je confirme l’envoi (personne ne l’a encore demandé ; les signataires qui le demanderont d’ici la fin de l’envoi le recevront).
        [one] Je confirme l’envoi à un signataire.
       *[other] Je confirme l’envoi à { $n } signataires.
    }
ws-mailing-send = Envoyer le message
ws-mailing-confirm-needed = Cochez la case pour confirmer l’envoi.
ws-mailing-subject-lines = L’objet tient sur une seule ligne.
ws-mailing-preview = Aperçu
ws-mailing-saved = Brouillon enregistré.
ws-mailing-tested = { $n ->
        [one] Un essai est parti à { $email }.
       *[other] { $n } essais (un par langue) sont partis à { $email }.
    }
ws-mailing-draft = Brouillon
ws-mailing-untitled = (sans objet)
ws-mailing-started = Envoi commencé
ws-mailing-progress = Mis en file : { $queued } sur { $recipients } · envoyés : { $sent } · échecs : { $failed }
ws-mailing-sent-heading = Message envoyé
ws-mailing-started-at = Envoi commencé le { $time }.
ws-mailing-finished-at = Tous les courriels mis en file le { $time }.
ws-mailing-refresh = Actualiser l’avancement
audit-mailing-tested = Essai d’un message aux signataires
audit-mailing-started = Envoi d’un message aux signataires
audit-mailing-finished = Message aux signataires mis en file pour tous
email-mailing-test-subject = [Essai] { $subject }
email-mailing-why = Vous recevez ce message parce que vous avez signé « { $title } » et demandé à recevoir des nouvelles.
audit-line-mailing-tested = { $who } s’est envoyé un essai du message « { $subject } » ({ $n ->
    [one] une langue
   *[other] { $n } langues
  }).
audit-line-mailing-started = { $who } a envoyé le message « { $subject } » à { $n ->
    [0] aucun signataire pour l’instant
    [one] { $n } signataire
   *[other] { $n } signataires
  }.
audit-line-mailing-finished = { $who } a mis en file le message aux signataires pour { $n ->
    [0] aucun destinataire
    [one] { $n } destinataire
   *[other] { $n } destinataires
  }.
ws-mailing-cancel = Arrêter l’envoi
ws-mailing-cancel-hint = Les signataires qui n’ont pas encore reçu le message ne le recevront pas ; un courriel déjà parti ne peut être rappelé.
ws-mailing-cancelled = Envoi arrêté.
ws-mailing-cancelled-at = Envoi arrêté le { $time }.
audit-mailing-cancelled = Envoi d’un message aux signataires arrêté
audit-mailing-stopped = Envoi d’un message aux signataires interrompu
audit-line-mailing-cancelled = { $who } a arrêté l’envoi du message « { $subject } » ({ $n ->
    [0] aucun courriel n’attendait
    [one] { $n } courriel en attente retiré
   *[other] { $n } courriels en attente retirés
  }).
audit-line-mailing-stopped = { $who } a interrompu l’envoi du message « { $subject } » : { $reason ->
    [author] son auteur ne peut plus écrire aux signataires de la lettre
   *[other] aucun de ses textes ne peut être envoyé
  } ({ $n ->
    [0] aucun courriel n’attendait
    [one] { $n } courriel en attente retiré
   *[other] { $n } courriels en attente retirés
  }).
