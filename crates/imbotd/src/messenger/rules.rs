//! Small rules shared by the messenger functions.

use crate::app::AppState;
use crate::error::Error;
use crate::store::chats;
use crate::store::users::User;

/// How long after posting the author may edit (or delete) a message: 3 days (SPEC-NOTES §4).
pub const EDIT_WINDOW_SECONDS: i64 = 3 * 24 * 3600;

/// May `me` open a new private dialog with `partner`? Between intranet users always; an extranet user only
/// with people they already share a chat with (Bitrix24 extranet users see only their own projects' people).
pub async fn may_open_private(state: &AppState, me: &User, partner: &User) -> Result<bool, Error> {
    if !partner.active {
        return Ok(false);
    }
    if !(me.is_extranet || partner.is_extranet) || me.id == partner.id || partner.is_bot || me.is_bot {
        return Ok(true);
    }
    Ok(chats::share_a_chat(&state.store, me.id, partner.id).await?)
}
