//! The one rule that decides whether a confirmed signature is on the public
//! list, waits for an organizer, or stays hidden. Every path that confirms a
//! signature or changes what the public would see of it (confirmation, the
//! signer's manage page, a protected name added, an organizer's decision)
//! asks [`place`], so no route can make a name public another way.

pub use crate::model::Moderation;

/// What [`place`] weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Review {
    /// The signer asked for their name to be shown.
    pub is_public: bool,
    /// The letter holds every public name for review.
    pub review_mode: bool,
    /// The name matches a protected name of the letter or the site.
    pub protected: bool,
    /// The state before this change; `None` for a first confirmation.
    pub current: Option<Moderation>,
    /// An organizer approved this very content (name, titles, city,
    /// visibility). Any change to it voids the approval.
    pub approved: bool,
}

/// Where a confirmed signature goes.
pub fn place(r: Review) -> Moderation {
    if r.current == Some(Moderation::Hidden) && !r.approved {
        // An organizer's decision to hide stands whatever the signer edits.
        return Moderation::Hidden;
    }
    if !r.is_public || r.approved {
        // A count-only row is not listed whatever its state; when it turns
        // public this rule runs again, without the approval.
        return Moderation::Shown;
    }
    if r.review_mode || r.protected {
        return Moderation::Queued;
    }
    Moderation::Shown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(is_public: bool, review_mode: bool, protected: bool) -> Review {
        Review {
            is_public,
            review_mode,
            protected,
            current: None,
            approved: false,
        }
    }

    #[test]
    fn public_names_wait_in_review_mode_or_when_protected() {
        assert_eq!(place(review(true, false, false)), Moderation::Shown);
        assert_eq!(place(review(true, true, false)), Moderation::Queued);
        assert_eq!(place(review(true, false, true)), Moderation::Queued);
    }

    #[test]
    fn count_only_is_never_listed_so_it_skips_review_until_it_turns_public() {
        assert_eq!(place(review(false, true, true)), Moderation::Shown);
        let turned_public = Review {
            current: Some(Moderation::Shown),
            ..review(true, true, false)
        };
        assert_eq!(place(turned_public), Moderation::Queued);
    }

    #[test]
    fn approval_covers_its_content_and_hiding_stands() {
        let approved = Review {
            approved: true,
            current: Some(Moderation::Shown),
            ..review(true, true, true)
        };
        assert_eq!(place(approved), Moderation::Shown);
        let hidden = Review {
            current: Some(Moderation::Hidden),
            ..review(true, false, false)
        };
        assert_eq!(place(hidden), Moderation::Hidden);
        assert_eq!(
            place(Review {
                is_public: false,
                ..hidden
            }),
            Moderation::Hidden
        );
    }
}
