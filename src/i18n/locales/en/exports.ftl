# Exports and the dashboard's figures.

dash-breakdown-caption = What makes the public count
dash-listed = Shown in the public list
dash-listed-initial = { $n ->
        [one] including { $display } initial signatory
       *[other] including { $display } initial signatories
    }
dash-count-only = Counted only (name not shown, as the signer chose)
dash-held = Waiting for approval (counted, not shown yet)
dash-hidden = Hidden by moderation (counted, not shown)
dash-public-total = Public count, as the letter and the API show it
dash-excluded = { $n ->
        [0] none excluded from the count
        [one] of which { $display } excluded from the count by moderation
       *[other] of which { $display } excluded from the count by moderation
    }
dash-not-counted = Signatures waiting for confirmation or withdrawn do not count, nor those moderation excluded from the count.
