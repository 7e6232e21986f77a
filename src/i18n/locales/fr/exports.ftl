# Exports and the dashboard's figures.

dash-breakdown-caption = Ce qui fait le compte public
dash-listed = Affichées dans la liste publique
dash-listed-initial = dont { $n ->
        [one] { $display } signataire initial
       *[other] { $display } signataires initiaux
    }
dash-count-only = Comptées seulement (nom non affiché, au choix de la personne)
dash-held = En attente d’approbation (comptées, pas encore affichées)
dash-hidden = Masquées par la modération (comptées, non affichées)
dash-public-total = Compte public, celui de la lettre et de l’API
dash-excluded = { $n ->
        [0] aucune exclue du compte
        [one] dont { $display } exclue du compte par la modération
       *[other] dont { $display } exclues du compte par la modération
    }
dash-not-counted = Les signatures en attente de confirmation ou retirées ne comptent pas, ni celles que la modération a exclues du compte.
