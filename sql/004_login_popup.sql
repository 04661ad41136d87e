-- 004_login_popup.sql - a login started from a popup (the widget's frame opens
-- it) hands its token to window.opener by postMessage, even when return_to is
-- on the platform's own origin: the frame is a third party on the agency's
-- page, where cookies are blocked.
ALTER TABLE login_attempts ADD COLUMN hand_off boolean NOT NULL DEFAULT false;
