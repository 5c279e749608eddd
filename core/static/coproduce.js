// Starts GOV.UK Frontend's components. Every page works without it: it only enhances.
import { initAll } from "./govuk/govuk-frontend.min.js";

initAll();
