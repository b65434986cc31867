// The held-out part of the corpus: written and labelled together with the tuning part, then set
// aside. No rule, word list or weight was changed while looking at how these score; `npm run
// lint:eval` reports them separately so the figure shows how the rules do on text they have
// never been fitted to.
import { checkable, vague, type CorpusEntry } from "./entry";

export const HELD_OUT: readonly CorpusEntry[] = [
  // Reliability and status
  checkable("reliability", "Keep the public API at 99.95% monthly availability for every month of FY2027, as shown on status.example.com.", "availability figure, window and the public source"),
  vague("reliability", "Deliver rock-solid uptime that our customers can count on.", "no figure, no window"),
  checkable("reliability", "Post the first status-page update within 10 minutes of any confirmed Sev-1 incident from 1 March 2027.", "time bound and trigger"),
  vague("reliability", "Significantly reduce the number of outages affecting customers this year.", "no count or base"),
  checkable("reliability", "Cut the number of Sev-1 incidents from 14 in 2026 to 6 or fewer in 2027.", "before and after counts"),
  vague("reliability", "Make our infrastructure more resilient to regional failures.", "more resilient than what"),
  checkable("reliability", "Fail over the EU database cluster to a second region in under 15 minutes in a quarterly drill, starting 30 June 2027.", "time bound and test"),
  vague("reliability", "Become 5x more reliable by 2027.", "multiplier of an unstated base"),
  checkable("reliability", "Publish a public postmortem for every Sev-1 incident within 5 business days, from 1 January 2027.", "scope and time bound"),
  vague("reliability", "Strive for zero-downtime deployments wherever possible.", "hedged and exempted"),
  checkable("reliability", "Deploy to production with zero customer-facing downtime for 12 consecutive months ending 31 December 2027.", "zero plus window"),

  // Roadmap
  checkable("roadmap", "Ship offline mode in the Android app to all users by 31 May 2027.", "named feature, audience and date"),
  vague("roadmap", "Explore new ways to collaborate in real time.", "activity, no result"),
  checkable("roadmap", "Make the bulk-edit API generally available to all plans on 2027-04-15.", "event and date"),
  vague("roadmap", "Bring exciting new features to the mobile app in 2027.", "which features, how many"),
  checkable("roadmap", "Release a native macOS client with full keyboard shortcuts by 30 September 2027.", "named deliverable and date"),
  vague("roadmap", "Continue enhancing the reporting experience based on feedback.", "no end state"),
  checkable("roadmap", "Let workspace admins export all audit events as CSV by 28 February 2027.", "named capability, scope, date"),
  vague("roadmap", "Deliver a best-in-class search experience.", "boast"),
  checkable("roadmap", "Retire the v1 REST API on 31 December 2027 after 12 months' notice.", "named event and date"),
  vague("roadmap", "Invest heavily in AI-powered features for our users.", "effort, not a result"),
  checkable("roadmap", "Add two-way sync with Google Calendar and Outlook for all paid plans by 30 June 2027.", "named integrations and date"),
  vague("roadmap", "Make the product 10x easier to use.", "bare multiplier"),

  // Security and compliance
  checkable("security", "Obtain ISO 27001 certification covering all production systems by 31 October 2027.", "named standard and date"),
  vague("security", "Take security seriously and protect customer data.", "attitude"),
  checkable("security", "Require hardware security keys for 100% of employees with production access by 31 March 2027.", "share and date"),
  vague("security", "Strengthen our security posture across the board.", "no test"),
  checkable("security", "Patch critical CVEs in customer-facing services within 72 hours of disclosure, every time, from 1 February 2027.", "time bound"),
  vague("security", "Ensure robust protection against emerging threats.", "no bar"),
  checkable("security", "Support SCIM provisioning for Okta and Azure AD on every Enterprise plan by 30 April 2027.", "named standard and scope"),
  vague("security", "Stay compliant with applicable regulations.", "which, checked how"),
  checkable("security", "Rotate every production database credential at least every 90 days throughout 2027.", "interval and scope"),
  vague("security", "Look into bug bounty options for our platform.", "promises attention"),

  // Support
  checkable("support", "Give a first human reply to 95% of Enterprise tickets within 1 business hour in FY2027.", "share, bound, window"),
  vague("support", "Provide faster, friendlier support to every customer.", "faster than what"),
  checkable("support", "Answer live chat in under 2 minutes at the median during UK business hours from 1 May 2027.", "bound and hours"),
  vague("support", "Respond to all tickets promptly.", "no time"),
  checkable("support", "Resolve 80% of billing tickets on first contact in Q3 2027, up from 61% in Q3 2026.", "share with base"),
  vague("support", "Improve customer satisfaction with our support team.", "no figure"),
  checkable("support", "Staff phone support 24/7 for Enterprise customers in every region by 1 July 2027.", "hours and scope"),
  vague("support", "Offer support in more languages.", "how many, which"),

  // Pricing and billing
  checkable("pricing", "Keep the Team plan at $12 per seat per month for existing customers until 31 December 2027.", "price and date"),
  vague("pricing", "Keep our prices fair and competitive.", "judgement"),
  checkable("pricing", "Refund unused prepaid seats within 14 days of a downgrade request from 1 March 2027.", "time bound"),
  vague("pricing", "Simplify our pricing so it's easier to understand.", "easier than what"),
  checkable("pricing", "Give 60 days' notice by email before any price increase, starting 1 January 2027.", "notice period"),
  vague("pricing", "Offer more value at every price point.", "more than what"),
  checkable("pricing", "Let customers switch between monthly and annual billing without contacting sales by 15 May 2027.", "named capability and date"),
  vague("pricing", "Make billing seamless for our international customers.", "boast"),

  // Regional launches
  checkable("regional", "Make Kept generally available in the ap-southeast-2 (Sydney) region by 30 September 2027.", "named region and date"),
  vague("regional", "Expand our global footprint to serve customers wherever they are.", "which regions"),
  checkable("regional", "Store all data of EU-based workspaces only in Frankfurt and Dublin from 1 April 2027.", "named regions and date"),
  vague("regional", "Grow our presence in Latin America.", "no measure"),
  checkable("regional", "Launch a Japanese-language interface for all plans by 31 August 2027.", "named locale and date"),
  vague("regional", "Bring the product closer to customers in Asia.", "no event"),
  checkable("regional", "Open a Canadian data residency option, hosted in Montreal, by 2027-06-30.", "named place and date"),

  // Sustainability
  checkable("sustainability", "Run 100% of production workloads in regions on renewable power purchase agreements by 31 December 2027.", "share and date"),
  vague("sustainability", "Do our part for the planet.", "no measure"),
  checkable("sustainability", "Cut Scope 2 emissions from 410 tCO2e in 2026 to 250 tCO2e in 2027.", "from-to figures"),
  vague("sustainability", "Embed sustainability into everything we do.", "no boundary"),
  checkable("sustainability", "Publish our 2027 emissions report, audited by a third party, by 31 March 2028.", "named report and date"),
  vague("sustainability", "Reduce our environmental impact meaningfully by 2030.", "no figure"),

  // Accessibility
  checkable("accessibility", "Meet WCAG 2.2 AA on the sign-up, checkout and dashboard pages by 30 June 2027, confirmed by an external audit.", "named standard, pages, date"),
  vague("accessibility", "Make our product accessible to everyone.", "no test"),
  checkable("accessibility", "Publish a VPAT for the web app on our trust page by 31 January 2027.", "named document and date"),
  vague("accessibility", "Improve screen reader support where feasible.", "hedged, no bar"),
  checkable("accessibility", "Caption 100% of product videos in English and German by 30 April 2027.", "share, scope, date"),
  vague("accessibility", "Champion inclusive design across our teams.", "attitude"),

  // OKR-style goals
  checkable("okr", "Grow weekly active teams from 3,400 to 5,000 by 31 December 2027.", "from-to and date"),
  vague("okr", "Delight our customers at every touchpoint.", "feeling"),
  checkable("okr", "Raise trial-to-paid conversion from 4.1% to 6% in H2 2027.", "from-to, window"),
  vague("okr", "Accelerate growth and drive adoption across segments.", "no figure"),
  checkable("okr", "Sign 25 new customers with more than 500 seats each in FY2027.", "count and window"),
  vague("okr", "Be the platform of choice for modern teams.", "boast"),
  checkable("okr", "Reach a Net Promoter Score of 45 in the December 2027 customer survey.", "figure and source"),
  vague("okr", "Build a world-class engineering culture.", "boast"),
  vague("okr", "Double down on customer success in 2027.", "effort, year is not a quantity"),
  checkable("okr", "Keep gross revenue churn below 1.5% per month in every month of 2027.", "bound and window"),

  // Near misses, both ways
  vague("reliability", "Reach 99.99 uptime levels soon.", "no unit or window, 'soon'"),
  checkable("roadmap", "Support Apple Vision Pro in the iOS app by 30 November 2027.", "support with a named platform"),
  vague("support", "Handle 100% of customer requests with care.", "care isn't checkable"),
  checkable("security", "Enable DNSSEC on all customer-facing domains by 31 July 2027.", "enable with named standard"),
  vague("okr", "Make 2027 the year of the customer.", "year is not a quantity"),
  vague("roadmap", "Ship version 3.0 with lots of improvements.", "version number sizes nothing"),
  checkable("pricing", "Cap overage charges at 20% of the monthly plan price for every customer from 1 April 2027.", "cap figure"),
  vague("reliability", "Deliver faster page loads by Q2.", "faster than what; Q2 is a date"),
  checkable("reliability", "Serve the dashboard's first paint in under 1.2 s at p75 for EU users by 30 June 2027.", "bound and percentile"),
  vague("security", "Introduce enhanced security features for admins.", "which features"),
  checkable("accessibility", "Make every form in the web app fully operable by keyboard alone by 31 May 2027.", "universal scope and test"),
  vague("support", "Be there for our customers 24 hours a day whenever possible.", "exempted"),
  vague("regional", "Launch in new markets next year.", "which markets"),
  checkable("sustainability", "Switch all company cars to electric vehicles by 31 December 2027.", "universal scope and date"),
  vague("okr", "Increase revenue by Q4.", "no figure; Q4 is a date"),
  checkable("okr", "Increase annual recurring revenue by 30% year on year, to $24M, by 31 December 2027.", "figure and base"),
  vague("pricing", "Deliver more flexible billing options.", "more than what"),
  vague("roadmap", "<p>Launch the new editor in 2027</p>", "markup; year only; no named event"),
  vague("reliability", "Keep https://status.example.com/v2 green as much as possible.", "digits only in a URL; hedged"),
  checkable("security", "Encrypt all customer backups with AES-256 using customer-managed keys by 30 September 2027.", "named standard and date"),
  vague("support", "Unsere Supportzeiten werden deutlich verbessert.", "German, no number"),
  vague("okr", "Nous allons améliorer la satisfaction de nos clients.", "French, no number"),
  checkable("support", "Responder el 90 % de los tickets en menos de 4 horas antes del 30/06/2027.", "Spanish, figures and date"),
];
