email-confirm-subject = Confirmez votre signature : { $title }
email-already-subject = Vous avez déjà signé : { $title }
email-greeting = Bonjour { $name },
email-confirm-intro = Vous avez demandé à signer la lettre ouverte « { $title } ». Pour que votre signature compte, confirmez-la en ouvrant ce lien :
email-confirm-action = Confirmer ma signature
email-confirm-expiry = Ce lien est valable { $days ->
        [one] { $days } jour
       *[other] { $days } jours
    }.
email-confirm-ignore = Si vous n’avez rien demandé, ignorez ce message : sans confirmation, rien ne sera publié.
email-withdraw-note = Vous pourrez retirer votre signature à tout moment avec ce lien :
email-already-intro = Quelqu’un, sans doute vous, a demandé à signer la lettre ouverte « { $title } » avec cette adresse. Votre signature est déjà confirmée : il n’y a rien à faire.
email-signoff-letter = Les organisateurs de la lettre « { $title } »
email-manage-note = Pour voir ou modifier ce que nous conservons à votre sujet :
email-unsubscribe-note = Pour ne plus recevoir de nouvelles de cette lettre (votre signature reste) :
email-updated-subject = La lettre que vous avez signée a changé : { $title }
email-updated-intro = Les organisateurs de la lettre ouverte « { $title } », que vous avez signée, en ont publié une nouvelle version (version { $version }). Votre signature reste associée à la version que vous avez signée.
email-updated-see = Voir ce qui a changé :
