// My Key Worker: small progressive enhancements. Every page works without this script.
// Each module below does one thing; scripts/bundle-js.mjs joins them into one small file.
import { watchAlertStatus } from "./alert-status.js";
import { countCharacters } from "./character-count.js";
import { focusErrorSummary } from "./error-summary.js";
import { keepCheckInsMadeOffline } from "./offline-check-ins.js";
import { keepMessagesWrittenOffline } from "./offline-messages.js";
import { startOutbox } from "./outbox.js";
import { offerPasskeys } from "./passkeys.js";
import { showPrintButtons } from "./print-button.js";
import { offerNotifications } from "./push-notifications.js";
import { offerReadAloud } from "./read-aloud.js";
import { startServiceWorker } from "./service-worker.js";
import { offerShowPin } from "./show-pin.js";

focusErrorSummary();
startServiceWorker();
offerReadAloud();
showPrintButtons();
offerNotifications();
keepMessagesWrittenOffline();
keepCheckInsMadeOffline();
startOutbox();
watchAlertStatus();
countCharacters();
offerShowPin();
offerPasskeys();
