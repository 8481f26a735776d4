<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="sv_SE">
<context>
    <name>App</name>
    <message>
        <source>%1 cannot start</source>
        <translation>%1 kan inte starta</translation>
    </message>
    <message>
        <source>The demo server could not start; see the log file.</source>
        <translation>Demoservern kunde inte starta; se loggfilen.</translation>
    </message>
</context>
<context>
    <name>Common</name>
    <message>
        <source>no explanation given</source>
        <translation>ingen förklaring angavs</translation>
    </message>
    <message>
        <source>The server rejected the request (HTTP %1): %2</source>
        <translation>Servern avvisade begäran (HTTP %1): %2</translation>
    </message>
    <message>
        <source>The outcome is unknown: the start request may have reached the server, but no complete answer came back (%1). The job may have started; check the Dispatch dashboard before trying again.</source>
        <translation>Utfallet är okänt: startbegäran kan ha nått servern, men inget fullständigt svar kom tillbaka (%1). Jobbet kan ha startat; kontrollera Dispatch-översikten innan du försöker igen.</translation>
    </message>
    <message>
        <source>The server reported the job as started, but the runtime id it gave (%1) is not a valid id, so the job cannot be followed here. Messages are on their way; check the Dispatch dashboard for this job.</source>
        <translation>Servern rapporterade jobbet som startat, men körnings-id:t den angav (%1) är inte ett giltigt id, så jobbet kan inte följas här. Meddelandena är på väg; kontrollera jobbet i Dispatch-översikten.</translation>
    </message>
    <message>
        <source>The server&apos;s answer could not be understood: %1</source>
        <translation>Serverns svar gick inte att tolka: %1</translation>
    </message>
    <message>
        <source>An unexpected error occurred (%1); details are in the log file.</source>
        <translation>Ett oväntat fel inträffade (%1); detaljerna finns i loggfilen.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>DEMO MODE — connected to the built-in demo server. No real messages are sent.</source>
        <translation>DEMOLÄGE — ansluten till den inbyggda demoservern. Inga riktiga meddelanden skickas.</translation>
    </message>
    <message>
        <source>Demo mode</source>
        <translation>Demoläge</translation>
    </message>
    <message>
        <source>EXERCISE — messages are sent for real, marked as an exercise.</source>
        <translation>ÖVNING — meddelandena skickas på riktigt, märkta som övning.</translation>
    </message>
    <message>
        <source>Exercise</source>
        <translation>Övning</translation>
    </message>
</context>
<context>
    <name>Confirm</name>
    <message>
        <source>less than a minute</source>
        <translation>mindre än en minut</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 days</source>
        <translation>%1 dygn</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 tim</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 tim %2 min</translation>
    </message>
    <message>
        <source>now</source>
        <translation>nu</translation>
    </message>
    <message>
        <source>at %1 (in %2)</source>
        <translation>kl. %1 (om %2)</translation>
    </message>
    <message>
        <source>Start &amp;now</source>
        <translation>Starta &amp;nu</translation>
    </message>
    <message>
        <source>&amp;Schedule for %1</source>
        <translation>&amp;Schemalägg till %1</translation>
    </message>
    <message>
        <source>%1 is %2</source>
        <translation>%1 är %2</translation>
    </message>
    <message>
        <source> or </source>
        <translation> eller </translation>
    </message>
    <message>
        <source> and </source>
        <translation> och </translation>
    </message>
    <message>
        <source>Now — messages go out as soon as the server has resolved the recipients.</source>
        <translation>Nu — meddelandena går ut så snart servern har tagit fram mottagarna.</translation>
    </message>
    <message>
        <source>At %1 local time (%2 UTC)</source>
        <translation>%1 lokal tid (%2 UTC)</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>okänd</translation>
    </message>
    <message>
        <source>Saved job</source>
        <translation>Sparat jobb</translation>
    </message>
    <message>
        <source>Job name</source>
        <translation>Jobbnamn</translation>
    </message>
    <message>
        <source>“%1” (unchanged)</source>
        <translation>”%1” (oförändrat)</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meddelande</translation>
    </message>
    <message>
        <source>The saved job&apos;s message (unchanged)</source>
        <translation>Det sparade jobbets meddelande (oförändrat)</translation>
    </message>
    <message>
        <source>Assigned message</source>
        <translation>Meddelande vid tilldelning</translation>
    </message>
    <message>
        <source>Response goal</source>
        <translation>Svarsmål</translation>
    </message>
    <message numerus="yes">
        <source>%n confirmed responder(s)</source>
        <translation>
            <numerusform>%n bekräftad svarande</numerusform>
            <numerusform>%n bekräftade svarande</numerusform>
        </translation>
    </message>
    <message>
        <source>As saved in the job</source>
        <translation>Som i det sparade jobbet</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>The saved job&apos;s own recipients are used, unchanged.</source>
        <translation>Det sparade jobbets egna mottagare används oförändrade.</translation>
    </message>
    <message>
        <source>The saved job&apos;s own recipients are kept, and these are added.</source>
        <translation>Det sparade jobbets egna mottagare behålls, och dessa läggs till.</translation>
    </message>
    <message>
        <source>The saved job&apos;s own recipients are replaced by these.</source>
        <translation>Det sparade jobbets egna mottagare ersätts av dessa.</translation>
    </message>
    <message>
        <source>Phone numbers</source>
        <translation>Telefonnummer</translation>
    </message>
    <message>
        <source>Tag filter</source>
        <translation>Taggfilter</translation>
    </message>
    <message>
        <source>Saved tag filters</source>
        <translation>Sparade taggfilter</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>Grupper</translation>
    </message>
    <message>
        <source>Recipients</source>
        <translation>Mottagare</translation>
    </message>
    <message>
        <source>  + %1</source>
        <translation>  + %1</translation>
    </message>
    <message>
        <source>  − excluded %1</source>
        <translation>  − undantagna %1</translation>
    </message>
    <message>
        <source>Recipients from tag filters and groups are looked up in the address book now, when the job is started; later changes to the address book do not change who gets the message.</source>
        <translation>Mottagare från taggfilter och grupper hämtas ur adressboken nu, när jobbet startas; senare ändringar i adressboken ändrar inte vem som får meddelandet.</translation>
    </message>
    <message>
        <source>The settings of the job type are read when the job starts; they are not saved with the job.</source>
        <translation>Jobbtypens inställningar läses när jobbet startar; de sparas inte med jobbet.</translation>
    </message>
    <message>
        <source>Starting sends real messages to real people and cannot be undone. A start whose answer is lost may still have happened: never start again before checking.</source>
        <translation>En start skickar riktiga meddelanden till riktiga människor och kan inte ångras. En start vars svar gick förlorat kan ändå ha skett: starta aldrig igen innan du har kontrollerat.</translation>
    </message>
    <message>
        <source>started</source>
        <translation>startat</translation>
    </message>
    <message>
        <source>started, without a valid runtime id</source>
        <translation>startat, utan giltigt körnings-id</translation>
    </message>
    <message>
        <source>no answer recorded — it may have started</source>
        <translation>inget svar registrerat — det kan ha startat</translation>
    </message>
    <message>
        <source>outcome unknown — it may have started</source>
        <translation>utfall okänt — det kan ha startat</translation>
    </message>
    <message>
        <source> (exercise)</source>
        <translation> (övning)</translation>
    </message>
    <message>
        <source>runtime id %1</source>
        <translation>körnings-id %1</translation>
    </message>
    <message>
        <source>no runtime id</source>
        <translation>inget körnings-id</translation>
    </message>
    <message>
        <source>• %1 (%2 ago): %3, %4, by %5</source>
        <translation>• %1 (för %2 sedan): %3, %4, av %5</translation>
    </message>
    <message>
        <source>The launch journal could not be read, so it cannot be checked whether this job was started from this computer a moment ago. Make sure it was not before you start it again.</source>
        <translation>Utskicksjournalen kunde inte läsas, så det går inte att kontrollera om jobbet startades från den här datorn nyss. Försäkra dig om att det inte gjordes innan du startar det igen.</translation>
    </message>
    <message>
        <source>This job may already have started from this computer:</source>
        <translation>Det här jobbet kan redan ha startats från den här datorn:</translation>
    </message>
    <message>
        <source>This job was already started from this computer:</source>
        <translation>Det här jobbet har redan startats från den här datorn:</translation>
    </message>
    <message>
        <source>… and %1 more.</source>
        <translation>… och %1 till.</translation>
    </message>
    <message>
        <source>Check the Dispatch dashboard or the monitor first: starting it again may send every message twice.</source>
        <translation>Kontrollera först Dispatch-översikten eller jobbövervakningen: en ny start kan skicka varje meddelande två gånger.</translation>
    </message>
    <message>
        <source>Starting it again sends every message again.</source>
        <translation>En ny start skickar varje meddelande en gång till.</translation>
    </message>
    <message>
        <source>LIVE</source>
        <translation>SKARPT</translation>
    </message>
    <message>
        <source>DEMO</source>
        <translation>DEMO</translation>
    </message>
    <message>
        <source>EXERCISE</source>
        <translation>ÖVNING</translation>
    </message>
    <message>
        <source>Confirm launch</source>
        <translation>Bekräfta start</translation>
    </message>
    <message>
        <source>Launch summary</source>
        <translation>Sammanfattning av starten</translation>
    </message>
    <message>
        <source>Earlier launches</source>
        <translation>Tidigare starter</translation>
    </message>
    <message>
        <source>Start it again</source>
        <translation>Starta det igen</translation>
    </message>
    <message>
        <source>Start “%1” — %2
on %3?</source>
        <translation>Starta ”%1” — %2
på %3?</translation>
    </message>
    <message>
        <source>Launch heading</source>
        <translation>Rubrik för starten</translation>
    </message>
    <message>
        <source>When: %1</source>
        <translation>När: %1</translation>
    </message>
    <message>
        <source>When</source>
        <translation>När</translation>
    </message>
    <message>
        <source>Not seen in earlier launches — check the spelling: %1</source>
        <translation>Inte sett i tidigare starter — kontrollera stavningen: %1</translation>
    </message>
    <message>
        <source>Tags not seen before</source>
        <translation>Taggar som inte setts förut</translation>
    </message>
    <message>
        <source>Go back</source>
        <translation>Gå tillbaka</translation>
    </message>
    <message>
        <source>Confirm start job</source>
        <translation>Bekräfta start av jobbet</translation>
    </message>
    <message>
        <source>Demo mode: the built-in demo server simulates the callout; no message reaches anyone.</source>
        <translation>Demoläge: den inbyggda demoservern simulerar utlarmningen; inget meddelande når någon.</translation>
    </message>
    <message>
        <source>Please note</source>
        <translation>Observera</translation>
    </message>
</context>
<context>
    <name>Crash</name>
    <message>
        <source>Unexpected error</source>
        <translation>Oväntat fel</translation>
    </message>
    <message>
        <source>Something went wrong inside Dispatch Desktop (%1). Your work is not lost: the window keeps running. If it happens again, send the report below to support.</source>
        <translation>Något gick fel i Dispatch Desktop (%1). Ditt arbete är inte förlorat: fönstret fortsätter att köra. Om det händer igen, skicka rapporten nedan till supporten.</translation>
    </message>
    <message>
        <source>the log file</source>
        <translation>loggfilen</translation>
    </message>
    <message>
        <source>The report is also in %1.</source>
        <translation>Rapporten finns också i %1.</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <source>Pending — outcome unknown</source>
        <translation>Väntar — utfall okänt</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Startat</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Inte startat</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Avvisat</translation>
    </message>
    <message>
        <source>Authentication failed</source>
        <translation>Inloggningen misslyckades</translation>
    </message>
    <message>
        <source>OUTCOME UNKNOWN</source>
        <translation>UTFALL OKÄNT</translation>
    </message>
    <message>
        <source>Server unreachable</source>
        <translation>Servern kunde inte nås</translation>
    </message>
    <message>
        <source>Refused before sending</source>
        <translation>Stoppat före sändning</translation>
    </message>
    <message>
        <source>Started (runtime id not valid)</source>
        <translation>Startat (ogiltigt körnings-id)</translation>
    </message>
    <message>
        <source>Cancelled before sending</source>
        <translation>Avbrutet före sändning</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Skickar…</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Skarpt</translation>
    </message>
    <message>
        <source>EXERCISE</source>
        <translation>ÖVNING</translation>
    </message>
    <message>
        <source>Demo</source>
        <translation>Demo</translation>
    </message>
    <message>
        <source>(a filter that cannot be read)</source>
        <translation>(ett filter som inte går att läsa)</translation>
    </message>
    <message>
        <source> and </source>
        <translation> och </translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source> or </source>
        <translation> eller </translation>
    </message>
    <message numerus="yes">
        <source>%n number(s)</source>
        <translation>
            <numerusform>%n nummer</numerusform>
            <numerusform>%n nummer</numerusform>
        </translation>
    </message>
    <message>
        <source>tag filter %1</source>
        <translation>taggfilter %1</translation>
    </message>
    <message>
        <source>saved filters %1</source>
        <translation>sparade filter %1</translation>
    </message>
    <message>
        <source>groups %1</source>
        <translation>grupper %1</translation>
    </message>
    <message>
        <source>the job&apos;s own recipients</source>
        <translation>jobbets egna mottagare</translation>
    </message>
    <message>
        <source>excluding %1</source>
        <translation>utom %1</translation>
    </message>
    <message>
        <source>added to the job&apos;s own</source>
        <translation>tillagda till jobbets egna</translation>
    </message>
    <message>
        <source>replacing the job&apos;s own</source>
        <translation>i stället för jobbets egna</translation>
    </message>
    <message>
        <source>(the saved job&apos;s message)</source>
        <translation>(det sparade jobbets meddelande)</translation>
    </message>
    <message>
        <source>Job “%1” started with runtime id %2.</source>
        <translation>Jobbet ”%1” startade med körnings-id %2.</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Tid</translation>
    </message>
    <message>
        <source>Saved job</source>
        <translation>Sparat jobb</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Läge</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Utfall</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meddelande</translation>
    </message>
    <message>
        <source>Recipients</source>
        <translation>Mottagare</translation>
    </message>
    <message>
        <source>Runtime id</source>
        <translation>Körnings-id</translation>
    </message>
    <message>
        <source>Started as</source>
        <translation>Startat som</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Användare</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Saved job id</source>
        <translation>Id för sparat jobb</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Detaljer</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Läser in…</translation>
    </message>
    <message>
        <source>Launch actions</source>
        <translation>Åtgärder för starten</translation>
    </message>
    <message>
        <source>Launch history</source>
        <translation>Utskickshistorik</translation>
    </message>
    <message>
        <source>Export progress</source>
        <translation>Exportförlopp</translation>
    </message>
    <message>
        <source>Cancel export</source>
        <translation>Avbryt export</translation>
    </message>
    <message>
        <source>Cancel the export</source>
        <translation>Avbryt exporten</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Exportera CSV…</translation>
    </message>
    <message>
        <source>Export history to CSV</source>
        <translation>Exportera historiken som CSV</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Läs om</translation>
    </message>
    <message>
        <source>Reload history</source>
        <translation>Läs om historiken</translation>
    </message>
    <message>
        <source>Opening the launch journal…</source>
        <translation>Öppnar utskicksjournalen…</translation>
    </message>
    <message>
        <source>The launch journal could not be opened; see the log file.</source>
        <translation>Utskicksjournalen kunde inte öppnas; se loggfilen.</translation>
    </message>
    <message>
        <source>Not signed in: sign in to see the launches on your server.</source>
        <translation>Inte inloggad: logga in för att se starterna på din server.</translation>
    </message>
    <message numerus="yes">
        <source>%n launch attempt(s) recorded on %1.</source>
        <translation>
            <numerusform>%n startförsök registrerat på %1.</numerusform>
            <numerusform>%n startförsök registrerade på %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Copy runtime id</source>
        <translation>&amp;Kopiera körnings-id</translation>
    </message>
    <message>
        <source>&amp;Show in monitor</source>
        <translation>&amp;Visa i jobbövervakningen</translation>
    </message>
    <message>
        <source>&amp;Launch again with these settings</source>
        <translation>&amp;Starta igen med dessa inställningar</translation>
    </message>
    <message>
        <source>Export launch history</source>
        <translation>Exportera utskickshistoriken</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-filer (*.csv)</translation>
    </message>
    <message>
        <source>Exporting the launch history to %1…</source>
        <translation>Exporterar utskickshistoriken till %1…</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n launch attempt(s) to %1.</source>
        <translation>
            <numerusform>Exporterade %n startförsök till %1.</numerusform>
            <numerusform>Exporterade %n startförsök till %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelling the export…</source>
        <translation>Avbryter exporten…</translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation>Exporten avbröts; ingen fil skrevs.</translation>
    </message>
</context>
<context>
    <name>JobsPanel</name>
    <message>
        <source>unknown</source>
        <translation>okänd</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Namn</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Generic type</source>
        <translation>Generisk typ</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Id</translation>
    </message>
    <message>
        <source>Favourite</source>
        <translation>Favorit</translation>
    </message>
    <message>
        <source>Launched</source>
        <translation>Startat</translation>
    </message>
    <message>
        <source>Not a favourite</source>
        <translation>Inte en favorit</translation>
    </message>
    <message>
        <source>Favourite. Click, or press %1, to remove the star.</source>
        <translation>Favorit. Klicka, eller tryck %1, för att ta bort stjärnan.</translation>
    </message>
    <message>
        <source>Click, or press %1, to star this job as a favourite.</source>
        <translation>Klicka, eller tryck %1, för att stjärnmärka jobbet som favorit.</translation>
    </message>
    <message>
        <source>Last launched from this computer: %1</source>
        <translation>Senast startat från den här datorn: %1</translation>
    </message>
    <message>
        <source>Search (Ctrl+F)</source>
        <translation>Sök (Ctrl+F)</translation>
    </message>
    <message>
        <source>Filter by name, type or id as you type (Ctrl+F)</source>
        <translation>Filtrera på namn, typ eller id medan du skriver (Ctrl+F)</translation>
    </message>
    <message>
        <source>Search saved jobs</source>
        <translation>Sök bland sparade jobb</translation>
    </message>
    <message>
        <source>Saved jobs view</source>
        <translation>Visning av sparade jobb</translation>
    </message>
    <message>
        <source>All saved jobs, your favourites, or those launched lately from here</source>
        <translation>Alla sparade jobb, dina favoriter eller de som startats nyligen härifrån</translation>
    </message>
    <message>
        <source>All jobs</source>
        <translation>Alla jobb</translation>
    </message>
    <message>
        <source>Favourites</source>
        <translation>Favoriter</translation>
    </message>
    <message>
        <source>Recent</source>
        <translation>Senaste</translation>
    </message>
    <message>
        <source>Job type filter</source>
        <translation>Filter för jobbtyp</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>Alla typer</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Uppdatera</translation>
    </message>
    <message>
        <source>Refresh saved jobs</source>
        <translation>Uppdatera sparade jobb</translation>
    </message>
    <message>
        <source>Reload the saved jobs from the server (F5)</source>
        <translation>Hämta de sparade jobben från servern igen (F5)</translation>
    </message>
    <message>
        <source>Saved jobs</source>
        <translation>Sparade jobb</translation>
    </message>
    <message>
        <source>Add to &amp;favourites</source>
        <translation>Lägg till i &amp;favoriter</translation>
    </message>
    <message>
        <source>Star or unstar the selected saved job</source>
        <translation>Stjärnmärk det valda sparade jobbet eller ta bort stjärnan</translation>
    </message>
    <message>
        <source>Last refreshed %1</source>
        <translation>Senast uppdaterat %1</translation>
    </message>
    <message>
        <source>Refreshing…</source>
        <translation>Uppdaterar…</translation>
    </message>
    <message>
        <source>Refresh failed</source>
        <translation>Uppdateringen misslyckades</translation>
    </message>
    <message>
        <source>Copy id</source>
        <translation>Kopiera id</translation>
    </message>
    <message>
        <source>Remove from &amp;favourites</source>
        <translation>Ta bort från &amp;favoriter</translation>
    </message>
    <message numerus="yes">
        <source>%n saved job(s)</source>
        <translation>
            <numerusform>%n sparat jobb</numerusform>
            <numerusform>%n sparade jobb</numerusform>
        </translation>
    </message>
    <message>
        <source>Showing %1 of %2 saved jobs</source>
        <translation>Visar %1 av %2 sparade jobb</translation>
    </message>
    <message>
        <source>Not signed in. Choose File → Sign in… (Ctrl+L) to load saved jobs.</source>
        <translation>Inte inloggad. Välj Arkiv → Logga in… (Ctrl+L) för att hämta sparade jobb.</translation>
    </message>
    <message>
        <source>The saved jobs could not be loaded: %1</source>
        <translation>De sparade jobben kunde inte hämtas: %1</translation>
    </message>
    <message>
        <source>Loading saved jobs…</source>
        <translation>Hämtar sparade jobb…</translation>
    </message>
    <message>
        <source>This account has no saved jobs it may start. Save a job in the Dispatch web portal, then refresh (F5).</source>
        <translation>Det här kontot har inga sparade jobb som det får starta. Spara ett jobb i Dispatch webbportal och uppdatera sedan (F5).</translation>
    </message>
    <message>
        <source>No favourites on this server yet. Select a saved job and press %1, or click the star in its row; choose All jobs to see them all.</source>
        <translation>Inga favoriter på den här servern ännu. Markera ett sparat jobb och tryck %1, eller klicka på stjärnan i dess rad; välj Alla jobb för att se alla.</translation>
    </message>
    <message>
        <source>The recent launches could not be read: %1</source>
        <translation>De senaste starterna kunde inte läsas: %1</translation>
    </message>
    <message>
        <source>No saved job has been launched from this computer on this server yet.</source>
        <translation>Inget sparat jobb har startats från den här datorn på den här servern ännu.</translation>
    </message>
    <message>
        <source>No saved job matches the search or the type filter.</source>
        <translation>Inget sparat jobb matchar sökningen eller typfiltret.</translation>
    </message>
</context>
<context>
    <name>KioskBoard</name>
    <message>
        <source>Saved job %1</source>
        <translation>Sparat jobb %1</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Jobb</translation>
    </message>
    <message>
        <source>Signing in… the jobs appear once the server answers.</source>
        <translation>Loggar in… jobben visas när servern svarar.</translation>
    </message>
    <message>
        <source>No jobs were prepared for this kiosk; ask your administrator.</source>
        <translation>Inga jobb har förberetts för den här kiosken; kontakta din administratör.</translation>
    </message>
    <message>
        <source>EXERCISE</source>
        <translation>ÖVNING</translation>
    </message>
    <message>
        <source>(not found on the server)</source>
        <translation>(finns inte på servern)</translation>
    </message>
    <message>
        <source>Exercise</source>
        <translation>Övning</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <source>Starting…</source>
        <translation>Startar…</translation>
    </message>
    <message>
        <source>Kiosk state</source>
        <translation>Kioskens läge</translation>
    </message>
    <message>
        <source>Sign in…</source>
        <translation>Logga in…</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Logga in</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Anslutning</translation>
    </message>
    <message>
        <source>Server: not reached yet</source>
        <translation>Server: inte nådd än</translation>
    </message>
    <message>
        <source>Server: last contact at %1</source>
        <translation>Server: senaste kontakt %1</translation>
    </message>
    <message>
        <source>Job monitor: %1</source>
        <translation>Jobbövervakning: %1</translation>
    </message>
    <message>
        <source>off</source>
        <translation>av</translation>
    </message>
    <message>
        <source>starting…</source>
        <translation>startar…</translation>
    </message>
    <message>
        <source>following the shared receiver</source>
        <translation>följer den gemensamma mottagaren</translation>
    </message>
    <message>
        <source>receiving job events</source>
        <translation>tar emot jobbhändelser</translation>
    </message>
    <message>
        <source>“%1” cannot be started as prepared: %2 Ask your administrator.</source>
        <translation>”%1” kan inte startas som det är förberett: %2 Kontakta din administratör.</translation>
    </message>
    <message>
        <source>The server refused the sign-in; signing in again…</source>
        <translation>Servern nekade inloggningen; loggar in igen…</translation>
    </message>
</context>
<context>
    <name>LaunchPanel</name>
    <message>
        <source>The cancel could not be written to the launch journal.</source>
        <translation>Avbrottet kunde inte skrivas till utskicksjournalen.</translation>
    </message>
    <message>
        <source>The outcome is unknown: an internal error (%1) occurred while starting the job. The job may have started; check the Dispatch dashboard before trying again.</source>
        <translation>Utfallet är okänt: ett internt fel (%1) inträffade när jobbet startades. Jobbet kan ha startat; kontrollera Dispatch-översikten innan du försöker igen.</translation>
    </message>
    <message>
        <source>Job started</source>
        <translation>Jobbet har startat</translation>
    </message>
    <message>
        <source>The job was NOT started</source>
        <translation>Jobbet startades INTE</translation>
    </message>
    <message>
        <source>The server rejected the request; nothing was sent</source>
        <translation>Servern avvisade begäran; inget skickades</translation>
    </message>
    <message>
        <source>Signed out: the server refused the credentials</source>
        <translation>Utloggad: servern godtog inte inloggningsuppgifterna</translation>
    </message>
    <message>
        <source>Could not reach the server; nothing was sent</source>
        <translation>Servern kunde inte nås; inget skickades</translation>
    </message>
    <message>
        <source>Not sent: the form has a problem</source>
        <translation>Inte skickat: formuläret har ett fel</translation>
    </message>
    <message>
        <source>OUTCOME UNKNOWN — the job may have started</source>
        <translation>UTFALL OKÄNT — jobbet kan ha startat</translation>
    </message>
    <message>
        <source>Job started — but its runtime id is not valid</source>
        <translation>Jobbet har startat — men dess körnings-id är ogiltigt</translation>
    </message>
    <message>
        <source>Cancelled — nothing was sent</source>
        <translation>Avbrutet — inget skickades</translation>
    </message>
    <message>
        <source>Job “%1” started with runtime id %2.</source>
        <translation>Jobbet ”%1” startade med körnings-id %2.</translation>
    </message>
    <message>
        <source>Nothing was sent.</source>
        <translation>Inget skickades.</translation>
    </message>
    <message>
        <source>Closing</source>
        <translation>Stänger</translation>
    </message>
    <message>
        <source>Dispatch Desktop will close as soon as the start call for “%1” has an answer, at the latest at %2. The outcome will be recorded in the launch journal.</source>
        <translation>Dispatch Desktop stänger så snart startanropet för ”%1” har fått svar, senast kl. %2. Utfallet registreras i utskicksjournalen.</translation>
    </message>
    <message>
        <source>Waiting for the start call</source>
        <translation>Väntar på startanropet</translation>
    </message>
    <message>
        <source>Launch outcome</source>
        <translation>Startens utfall</translation>
    </message>
    <message>
        <source>Starting job</source>
        <translation>Startar jobbet</translation>
    </message>
    <message>
        <source>Sign in again…</source>
        <translation>Logga in igen…</translation>
    </message>
    <message>
        <source>Sign in again</source>
        <translation>Logga in igen</translation>
    </message>
    <message>
        <source>Launch again with these settings</source>
        <translation>Starta igen med dessa inställningar</translation>
    </message>
    <message>
        <source>Fills the form with what this launch sent; it starts nothing by itself.</source>
        <translation>Fyller formuläret med det som den här starten skickade; det startar ingenting av sig självt.</translation>
    </message>
    <message>
        <source>Sending countdown</source>
        <translation>Nedräkning till sändning</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Avbryt</translation>
    </message>
    <message>
        <source>Cancel start</source>
        <translation>Avbryt starten</translation>
    </message>
    <message>
        <source>Nothing is sent (Esc)</source>
        <translation>Inget skickas (Esc)</translation>
    </message>
    <message>
        <source>Runtime id</source>
        <translation>Körnings-id</translation>
    </message>
    <message>
        <source>Copy runtime id</source>
        <translation>Kopiera körnings-id</translation>
    </message>
    <message>
        <source>Show in monitor</source>
        <translation>Visa i jobbövervakningen</translation>
    </message>
    <message>
        <source>Show job in monitor</source>
        <translation>Visa jobbet i jobbövervakningen</translation>
    </message>
    <message>
        <source>Runtime id:</source>
        <translation>Körnings-id:</translation>
    </message>
    <message>
        <source>“%1” is about to be sent</source>
        <translation>”%1” skickas strax</translation>
    </message>
    <message>
        <source>Nothing has been sent yet. Cancel (or Esc) stops it, and nothing is sent.</source>
        <translation>Inget har skickats ännu. Avbryt (eller Esc) stoppar det, och inget skickas.</translation>
    </message>
    <message>
        <source>Sending in %1 s</source>
        <translation>Skickas om %1 s</translation>
    </message>
    <message>
        <source>Starting “%1”…</source>
        <translation>Startar ”%1”…</translation>
    </message>
    <message>
        <source>Waiting for the server: %1 s. The server answers once the job has started; this can take minutes. The form is locked until then.</source>
        <translation>Väntar på servern: %1 s. Servern svarar när jobbet har startat; det kan ta några minuter. Formuläret är låst till dess.</translation>
    </message>
    <message>
        <source>Do NOT start the job again until you have checked the Dispatch dashboard or the job monitor: starting again may send every message twice.</source>
        <translation>Starta INTE jobbet igen förrän du har kontrollerat Dispatch-översikten eller jobbövervakningen: en ny start kan skicka varje meddelande två gånger.</translation>
    </message>
</context>
<context>
    <name>Library</name>
    <message>
        <source>Message: an exercise needs a message written here; the saved job&apos;s own message cannot be marked as an exercise.</source>
        <translation>Meddelande: en övning behöver ett meddelande skrivet här; det sparade jobbets eget meddelande kan inte märkas som övning.</translation>
    </message>
    <message>
        <source>The saved job&apos;s own recipients: choose whether the recipients given here are added to them or replace them.</source>
        <translation>Det sparade jobbets egna mottagare: välj om mottagarna som anges här ska läggas till dem eller ersätta dem.</translation>
    </message>
    <message>
        <source>The server refused the sign-in (401). Either the username, password or API key is wrong, or the account cannot read any address book; check both with your Dispatch administrator.</source>
        <translation>Servern nekade inloggningen (401). Antingen är användarnamnet, lösenordet eller API-nyckeln fel, eller så kan kontot inte läsa någon adressbok; kontrollera båda med din Dispatch-administratör.</translation>
    </message>
    <message>
        <source>the server gave no reason</source>
        <translation>servern angav ingen anledning</translation>
    </message>
    <message>
        <source>The job was not started (%1): %2</source>
        <translation>Jobbet startades inte (%1): %2</translation>
    </message>
    <message>
        <source>Saved job id</source>
        <translation>Id för sparat jobb</translation>
    </message>
    <message>
        <source>Job name</source>
        <translation>Jobbnamn</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meddelande</translation>
    </message>
    <message>
        <source>Assigned message</source>
        <translation>Meddelande vid tilldelning</translation>
    </message>
    <message>
        <source>Recipients (phone numbers)</source>
        <translation>Mottagare (telefonnummer)</translation>
    </message>
    <message>
        <source>Recipients (tag filter)</source>
        <translation>Mottagare (taggfilter)</translation>
    </message>
    <message>
        <source>Recipients (tag filter in JSON form)</source>
        <translation>Mottagare (taggfilter i JSON-form)</translation>
    </message>
    <message>
        <source>Recipients (saved tag filters)</source>
        <translation>Mottagare (sparade taggfilter)</translation>
    </message>
    <message>
        <source>Recipients (groups)</source>
        <translation>Mottagare (grupper)</translation>
    </message>
    <message>
        <source>Recipients to exclude (phone numbers)</source>
        <translation>Mottagare att undanta (telefonnummer)</translation>
    </message>
    <message>
        <source>Recipients to exclude (tag filter)</source>
        <translation>Mottagare att undanta (taggfilter)</translation>
    </message>
    <message>
        <source>Recipients to exclude (tag filter in JSON form)</source>
        <translation>Mottagare att undanta (taggfilter i JSON-form)</translation>
    </message>
    <message>
        <source>The saved job&apos;s own recipients (add to them or replace them)</source>
        <translation>Det sparade jobbets egna mottagare (lägga till eller ersätta)</translation>
    </message>
    <message>
        <source>Response goal</source>
        <translation>Svarsmål</translation>
    </message>
    <message>
        <source>Scheduled start</source>
        <translation>Schemalagd start</translation>
    </message>
    <message>
        <source>Job type</source>
        <translation>Jobbtyp</translation>
    </message>
    <message>
        <source>only allowed for monitored-message jobs (GMM); this is a multi-assign job (GMA), and the server would refuse it</source>
        <translation>tillåts bara för jobb med övervakat meddelande (GMM); det här är ett jobb med flera tilldelningar (GMA), och servern skulle neka det</translation>
    </message>
    <message>
        <source>only allowed for multi-assign jobs (GMA); a monitored-message job (GMM) takes the assigned message from its job type&apos;s settings, and the server refuses one here</source>
        <translation>tillåts bara för jobb med flera tilldelningar (GMA); ett jobb med övervakat meddelande (GMM) tar meddelandet vid tilldelning från jobbtypens inställningar, och servern nekar ett här</translation>
    </message>
    <message>
        <source>for a multi-assign job (GMA) a new tag filter and a response goal go together: give both or neither</source>
        <translation>för ett jobb med flera tilldelningar (GMA) hör ett nytt taggfilter och ett svarsmål ihop: ange båda eller inget av dem</translation>
    </message>
    <message>
        <source>the number %1</source>
        <translation>numret %1</translation>
    </message>
    <message>
        <source>%1 is not a phone number; use digits with an optional leading +, 6 to 15 digits, no spaces</source>
        <translation>%1 är inte ett telefonnummer; använd siffror med ett valfritt inledande +, 6 till 15 siffror, inga mellanslag</translation>
    </message>
    <message>
        <source>%1 is not a whole number greater than 0</source>
        <translation>%1 är inte ett heltal större än 0</translation>
    </message>
    <message>
        <source>must be a date and time</source>
        <translation>måste vara ett datum och en tid</translation>
    </message>
    <message>
        <source>has no time zone; give a time with an explicit offset or UTC</source>
        <translation>saknar tidszon; ange en tid med uttrycklig förskjutning eller UTC</translation>
    </message>
    <message>
        <source>%1 is not in the future; a scheduled start must lie ahead</source>
        <translation>%1 ligger inte i framtiden; en schemalagd start måste ligga framåt i tiden</translation>
    </message>
    <message>
        <source>%1 is not a positive 64-bit whole number</source>
        <translation>%1 är inte ett positivt 64-bitars heltal</translation>
    </message>
    <message>
        <source>Job type: give a job type, such as MonitoredMessage.</source>
        <translation>Jobbtyp: ange en jobbtyp, till exempel MonitoredMessage.</translation>
    </message>
    <message>
        <source>the job type %1</source>
        <translation>jobbtypen %1</translation>
    </message>
    <message>
        <source>must be text</source>
        <translation>måste vara text</translation>
    </message>
    <message>
        <source>is blank; leave it unset to keep the saved job&apos;s value</source>
        <translation>är tomt; lämna det oangivet för att behålla det sparade jobbets värde</translation>
    </message>
    <message>
        <source>must be a list of names</source>
        <translation>måste vara en lista med namn</translation>
    </message>
    <message>
        <source>contains a blank name</source>
        <translation>innehåller ett tomt namn</translation>
    </message>
    <message>
        <source>the name %1</source>
        <translation>namnet %1</translation>
    </message>
    <message>
        <source>must be a list of phone numbers</source>
        <translation>måste vara en lista med telefonnummer</translation>
    </message>
    <message>
        <source>must be a tag filter or its text form</source>
        <translation>måste vara ett taggfilter eller dess textform</translation>
    </message>
    <message>
        <source>must be true or false</source>
        <translation>måste vara sant eller falskt</translation>
    </message>
    <message>
        <source>is blank; leave it unset to keep the saved message</source>
        <translation>är tomt; lämna det oangivet för att behålla det sparade meddelandet</translation>
    </message>
    <message>
        <source>give the filter once, either here or as %1</source>
        <translation>ange filtret en gång, antingen här eller som %1</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Serveradress</translation>
    </message>
    <message>
        <source>Server address %1 is not a web address; it should look like %2.</source>
        <translation>Serveradressen %1 är inte en webbadress; den ska se ut som %2.</translation>
    </message>
    <message>
        <source>Server address: give only the address, without &apos;?&apos;, &apos;#&apos; or a user name in it.</source>
        <translation>Serveradress: ange bara adressen, utan &apos;?&apos;, &apos;#&apos; eller ett användarnamn i den.</translation>
    </message>
    <message>
        <source>Server address %1 has an invalid port number.</source>
        <translation>Serveradressen %1 har ett ogiltigt portnummer.</translation>
    </message>
    <message>
        <source>Server address %1 uses plain http://, which would send credentials unencrypted; use https:// (plain http is allowed only to this computer).</source>
        <translation>Serveradressen %1 använder okrypterad http://, som skulle skicka inloggningsuppgifterna okrypterade; använd https:// (okrypterad http tillåts bara till den här datorn).</translation>
    </message>
    <message>
        <source>API key: give the API key from the Web Portal.</source>
        <translation>API-nyckel: ange API-nyckeln från webbportalen.</translation>
    </message>
    <message>
        <source>API key: it contains a blank, a line break or a character an API key never has; copy it again from the Web Portal.</source>
        <translation>API-nyckel: den innehåller ett mellanslag, en radbrytning eller ett tecken som en API-nyckel aldrig har; kopiera den igen från webbportalen.</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Användarnamn</translation>
    </message>
    <message>
        <source>Password: it contains a line break, another control character or a broken character that cannot be sent; type it again.</source>
        <translation>Lösenord: det innehåller en radbrytning, ett annat styrtecken eller ett trasigt tecken som inte kan skickas; skriv det igen.</translation>
    </message>
    <message>
        <source>Username: give the username of the API account.</source>
        <translation>Användarnamn: ange användarnamnet för API-kontot.</translation>
    </message>
    <message>
        <source>Password: give the password of the API account.</source>
        <translation>Lösenord: ange lösenordet för API-kontot.</translation>
    </message>
    <message>
        <source>Username: a name containing &apos;:&apos; cannot travel by HTTP Basic; choose another way to send credentials.</source>
        <translation>Användarnamn: ett namn som innehåller &apos;:&apos; kan inte skickas med HTTP Basic; välj ett annat sätt att skicka inloggningsuppgifterna.</translation>
    </message>
    <message>
        <source>The start was cancelled before it was sent. No message went out; the saved job is unchanged.</source>
        <translation>Starten avbröts innan den skickades. Inget meddelande gick ut; det sparade jobbet är oförändrat.</translation>
    </message>
    <message>
        <source>The outcome could not be written to the launch journal.</source>
        <translation>Utfallet kunde inte skrivas till utskicksjournalen.</translation>
    </message>
    <message>
        <source>The launch journal is not available, so this launch is not recorded.</source>
        <translation>Utskicksjournalen är inte tillgänglig, så den här starten registreras inte.</translation>
    </message>
    <message>
        <source>This launch could not be written to the launch journal.</source>
        <translation>Den här starten kunde inte skrivas till utskicksjournalen.</translation>
    </message>
    <message>
        <source>an unexpected error occurred: %1</source>
        <translation>ett oväntat fel inträffade: %1</translation>
    </message>
    <message>
        <source>Tag filter part %1: the tag type is empty.</source>
        <translation>Taggfiltrets del %1: taggtypen är tom.</translation>
    </message>
    <message>
        <source>Tag filter part %1: the tag value is empty.</source>
        <translation>Taggfiltrets del %1: taggvärdet är tomt.</translation>
    </message>
    <message>
        <source>Tag filter part %1: the tag type %2 contains %3; tag types and values must not contain &apos;;&apos;, &apos;|&apos; or &apos;:&apos;.</source>
        <translation>Taggfiltrets del %1: taggtypen %2 innehåller %3; taggtyper och värden får inte innehålla &apos;;&apos;, &apos;|&apos; eller &apos;:&apos;.</translation>
    </message>
    <message>
        <source>Tag filter part %1: the tag value %2 contains %3; tag types and values must not contain &apos;;&apos;, &apos;|&apos; or &apos;:&apos;.</source>
        <translation>Taggfiltrets del %1: taggvärdet %2 innehåller %3; taggtyper och värden får inte innehålla &apos;;&apos;, &apos;|&apos; eller &apos;:&apos;.</translation>
    </message>
    <message>
        <source>the tag type %1</source>
        <translation>taggtypen %1</translation>
    </message>
    <message>
        <source>the tag value %1</source>
        <translation>taggvärdet %1</translation>
    </message>
    <message>
        <source>Tag filter part %1: %2.</source>
        <translation>Taggfiltrets del %1: %2.</translation>
    </message>
    <message>
        <source>Tag filter part %1</source>
        <translation>Taggfiltrets del %1</translation>
    </message>
    <message>
        <source>The JSON tag filter is not valid JSON: %1</source>
        <translation>JSON-taggfiltret är inte giltig JSON: %1</translation>
    </message>
    <message>
        <source>Expecting value</source>
        <translation>ett värde saknas</translation>
    </message>
    <message>
        <source>Expecting &apos;,&apos; delimiter</source>
        <translation>ett &apos;,&apos; saknas</translation>
    </message>
    <message>
        <source>Expecting &apos;:&apos; delimiter</source>
        <translation>ett &apos;:&apos; saknas</translation>
    </message>
    <message>
        <source>Expecting property name enclosed in double quotes</source>
        <translation>ett namn inom dubbla citattecken saknas</translation>
    </message>
    <message>
        <source>Extra data</source>
        <translation>överflödiga tecken efter slutet</translation>
    </message>
    <message>
        <source>Unterminated string starting at</source>
        <translation>en sträng som aldrig avslutas börjar vid</translation>
    </message>
    <message>
        <source>Invalid control character at</source>
        <translation>ogiltigt kontrolltecken vid</translation>
    </message>
    <message>
        <source>%1: line %2 column %3 (char %4)</source>
        <translation>%1: rad %2, kolumn %3 (tecken %4)</translation>
    </message>
    <message>
        <source>The tag filter is empty: give at least one tag type.</source>
        <translation>Taggfiltret är tomt: ange minst en taggtyp.</translation>
    </message>
    <message>
        <source>Tag filter part %1: no tag value is given.</source>
        <translation>Taggfiltrets del %1: inget taggvärde är angivet.</translation>
    </message>
    <message>
        <source>A tag filter must be text.</source>
        <translation>Ett taggfilter måste vara text.</translation>
    </message>
    <message>
        <source>The tag filter %1 has an empty part (two &apos;;&apos; in a row, or a &apos;;&apos; at an end).</source>
        <translation>Taggfiltret %1 har en tom del (två &apos;;&apos; i rad, eller ett &apos;;&apos; i början eller slutet).</translation>
    </message>
    <message>
        <source>Tag filter part %1 has no &apos;:&apos; between tag type and values; write it as type:value1|value2.</source>
        <translation>Taggfiltrets del %1 saknar &apos;:&apos; mellan taggtyp och värden; skriv den som typ:värde1|värde2.</translation>
    </message>
    <message>
        <source>Tag filter part %1 contains more than one &apos;:&apos;; tag types and values must not contain &apos;;&apos;, &apos;|&apos; or &apos;:&apos;.</source>
        <translation>Taggfiltrets del %1 innehåller mer än ett &apos;:&apos;; taggtyper och värden får inte innehålla &apos;;&apos;, &apos;|&apos; eller &apos;:&apos;.</translation>
    </message>
    <message>
        <source>The JSON tag filter must be a list of filter parts.</source>
        <translation>JSON-taggfiltret måste vara en lista med filterdelar.</translation>
    </message>
    <message>
        <source>JSON tag filter part %1 must look like %2.</source>
        <translation>JSON-taggfiltrets del %1 ska se ut som %2.</translation>
    </message>
    <message>
        <source>The server&apos;s answer is not valid JSON (%1); check the server address (the answer began: %2).</source>
        <translation>Serverns svar är inte giltig JSON (%1); kontrollera serveradressen (svaret började: %2).</translation>
    </message>
    <message>
        <source>it is not UTF-8 text</source>
        <translation>det är inte UTF-8-text</translation>
    </message>
    <message>
        <source>it is nested too deeply</source>
        <translation>det är för djupt nästlat</translation>
    </message>
    <message>
        <source>syntax error at character %1</source>
        <translation>syntaxfel vid tecken %1</translation>
    </message>
    <message>
        <source>a value in it cannot be read</source>
        <translation>ett värde i det går inte att läsa</translation>
    </message>
    <message>
        <source>HTTP method %1 is not supported; use POST or GET.</source>
        <translation>HTTP-metoden %1 stöds inte; använd POST eller GET.</translation>
    </message>
    <message>
        <source>The session turns TLS certificate checks off; Dispatch credentials and messages must not travel that way. Give a CA bundle path instead.</source>
        <translation>Sessionen stänger av kontrollen av TLS-certifikat; inloggningsuppgifter och meddelanden till Dispatch får inte skickas så. Ange i stället sökvägen till en fil med CA-certifikat.</translation>
    </message>
    <message>
        <source>The list of saved jobs is larger than %1 MB, the most this program reads; ask your Dispatch administrator to tidy the saved jobs, or list one job type at a time.</source>
        <translation>Listan med sparade jobb är större än %1 MB, det mesta det här programmet läser; låt din Dispatch-administratör rensa bland de sparade jobben, eller lista en jobbtyp i taget.</translation>
    </message>
    <message>
        <source>job %1 is not one of the jobs this computer may start (set by your administrator); nothing was sent</source>
        <translation>jobb %1 är inte ett av de jobb som den här datorn får starta (bestämt av din administratör); inget skickades</translation>
    </message>
    <message>
        <source>this cannot be sent with the GET method; sign in with POST, or give the tag filter as text</source>
        <translation>detta kan inte skickas med GET-metoden; logga in med POST, eller ange taggfiltret som text</translation>
    </message>
    <message>
        <source>%1 Nothing was sent.</source>
        <translation>%1 Inget skickades.</translation>
    </message>
    <message>
        <source>a gateway answered HTTP %1: %2</source>
        <translation>en mellanliggande server svarade HTTP %1: %2</translation>
    </message>
    <message>
        <source>The server %1 is too slow: the list of saved jobs did not arrive within %2 seconds. Try again later; if it keeps happening, tell your Dispatch administrator.</source>
        <translation>Servern %1 är för långsam: listan med sparade jobb kom inte inom %2 sekunder. Försök igen senare; om det fortsätter, kontakta din Dispatch-administratör.</translation>
    </message>
    <message>
        <source>no answer before the time limit</source>
        <translation>inget svar inom tidsgränsen</translation>
    </message>
    <message>
        <source>the answer was cut off</source>
        <translation>svaret avbröts</translation>
    </message>
    <message>
        <source>the connection was lost</source>
        <translation>anslutningen bröts</translation>
    </message>
    <message>
        <source>the server&apos;s answer was too large to read: %1</source>
        <translation>serverns svar var för stort för att läsas: %1</translation>
    </message>
    <message>
        <source>the server answered 200 but the answer could not be read: %1</source>
        <translation>servern svarade 200 men svaret gick inte att läsa: %1</translation>
    </message>
    <message>
        <source>none given</source>
        <translation>inget angivet</translation>
    </message>
    <message>
        <source>%1… (%2 characters)</source>
        <translation>%1… (%2 tecken)</translation>
    </message>
    <message>
        <source>Could not reach the server %1: the proxy server could not be reached or refused the connection. Check the proxy settings of this computer.</source>
        <translation>Servern %1 kunde inte nås: proxyservern gick inte att nå eller nekade anslutningen. Kontrollera proxyinställningarna på den här datorn.</translation>
    </message>
    <message>
        <source>The secure connection to %1 failed (TLS certificate or protocol problem). Check the server address and the computer&apos;s date and certificates.</source>
        <translation>Den säkra anslutningen till %1 misslyckades (problem med TLS-certifikat eller protokoll). Kontrollera serveradressen samt datorns datum och certifikat.</translation>
    </message>
    <message>
        <source>The server %1 did not answer in time. Check the network connection and the server address.</source>
        <translation>Servern %1 svarade inte i tid. Kontrollera nätverksanslutningen och serveradressen.</translation>
    </message>
    <message>
        <source>Could not connect to %1. Check the network connection, a proxy or firewall, and the server address.</source>
        <translation>Det gick inte att ansluta till %1. Kontrollera nätverksanslutningen, eventuell proxy eller brandvägg och serveradressen.</translation>
    </message>
    <message>
        <source>The server&apos;s answer has no list of saved jobs.</source>
        <translation>Serverns svar innehåller ingen lista med sparade jobb.</translation>
    </message>
    <message>
        <source>Saved job number %1 in the server&apos;s list lacks a valid id (a whole number), a name or a type.</source>
        <translation>Sparat jobb nummer %1 i serverns lista saknar ett giltigt id (ett heltal), ett namn eller en typ.</translation>
    </message>
    <message>
        <source>%1 contains %2, a control character, at position %3; it would reach the server as an invisible control code. Delete it, or type the text again instead of pasting it</source>
        <translation>%1 innehåller %2, ett kontrolltecken, på position %3; det skulle nå servern som en osynlig styrkod. Ta bort det, eller skriv texten på nytt i stället för att klistra in den</translation>
    </message>
    <message>
        <source>%1 contains %2, a line separator, at position %3; some programs show it as a line break and others not at all. Delete it, or type the text again instead of pasting it</source>
        <translation>%1 innehåller %2, en radavgränsare, på position %3; vissa program visar den som en radbrytning och andra inte alls. Ta bort den, eller skriv texten på nytt i stället för att klistra in den</translation>
    </message>
    <message>
        <source>%1 contains %2, an invisible formatting character, at position %3; the server would take it as part of the text although nobody can see it. Delete it, or type the text again instead of pasting it</source>
        <translation>%1 innehåller %2, ett osynligt formateringstecken, på position %3; servern skulle ta det som en del av texten fast ingen kan se det. Ta bort det, eller skriv texten på nytt i stället för att klistra in den</translation>
    </message>
    <message>
        <source>%1 contains %2, half of a broken character (a lone surrogate), at position %3; it cannot be sent at all. Delete it, or type the text again instead of pasting it</source>
        <translation>%1 innehåller %2, halva av ett trasigt tecken (ett ensamt surrogat), på position %3; det går inte att skicka alls. Ta bort det, eller skriv texten på nytt i stället för att klistra in den</translation>
    </message>
    <message>
        <source>%1 contains %2, a noncharacter, reserved for internal use, at position %3; it is not meant to be exchanged and may be dropped or replaced on the way. Delete it, or type the text again instead of pasting it</source>
        <translation>%1 innehåller %2, ett icke-tecken, reserverat för internt bruk, på position %3; det är inte avsett att skickas mellan program och kan tas bort eller ersättas på vägen. Ta bort det, eller skriv texten på nytt i stället för att klistra in den</translation>
    </message>
    <message>
        <source>%1 contains %2, a space that is not an ordinary space, at position %3; tag, filter and group names are compared character by character, so the name would match nobody. Delete it, or type the text again instead of pasting it</source>
        <translation>%1 innehåller %2, ett mellanslag som inte är ett vanligt mellanslag, på position %3; tagg-, filter- och gruppnamn jämförs tecken för tecken, så namnet skulle inte matcha någon. Ta bort det, eller skriv texten på nytt i stället för att klistra in den</translation>
    </message>
    <message>
        <source>TAB</source>
        <translation>TABB</translation>
    </message>
    <message>
        <source>LINE FEED</source>
        <translation>RADMATNING</translation>
    </message>
    <message>
        <source>CARRIAGE RETURN</source>
        <translation>VAGNRETUR</translation>
    </message>
    <message>
        <source>NEXT LINE</source>
        <translation>NÄSTA RAD</translation>
    </message>
    <message>
        <source>the text</source>
        <translation>texten</translation>
    </message>
    <message>
        <source>The proxy set for this computer (%1://…) cannot carry a secure connection; only http:// and https:// proxies are supported.</source>
        <translation>Proxyn som är inställd för den här datorn (%1://…) kan inte bära en säker anslutning; bara proxyservrar med http:// och https:// stöds.</translation>
    </message>
    <message>
        <source>The shared receiver address %1 is not a web address; it should look like https://receiver.example.com.</source>
        <translation>Den delade mottagarens adress %1 är inte en webbadress; den ska se ut som https://receiver.example.com.</translation>
    </message>
    <message>
        <source>The shared receiver address must not hold a user name or password; the events token is what signs in.</source>
        <translation>Den gemensamma mottagarens adress får inte innehålla användarnamn eller lösenord; det är händelsetoken som loggar in.</translation>
    </message>
    <message>
        <source>The shared receiver address %1 uses plain http://, which would send the events token unencrypted; use https:// (plain http is allowed only to this computer).</source>
        <translation>Den delade mottagarens adress %1 använder okrypterad http://, som skulle skicka händelsetoken okrypterad; använd https:// (okrypterad http tillåts bara till den här datorn).</translation>
    </message>
    <message>
        <source>The event receiver at %1 did not answer: %2</source>
        <translation>Händelsemottagaren på %1 svarade inte: %2</translation>
    </message>
    <message>
        <source>The event receiver at %1 refused the events token.</source>
        <translation>Händelsemottagaren på %1 nekade händelsetoken.</translation>
    </message>
    <message>
        <source>The event receiver at %1 answered HTTP %2: %3</source>
        <translation>Händelsemottagaren på %1 svarade HTTP %2: %3</translation>
    </message>
    <message>
        <source>The event receiver at %1 answered far too much.</source>
        <translation>Händelsemottagaren på %1 svarade med alldeles för mycket data.</translation>
    </message>
    <message>
        <source>The event receiver at %1 answered something that is not an event list: %2</source>
        <translation>Händelsemottagaren på %1 svarade med något som inte är en lista med händelser: %2</translation>
    </message>
    <message>
        <source>The event receiver at %1 answered no valid cursor.</source>
        <translation>Händelsemottagaren på %1 svarade utan giltig läsposition.</translation>
    </message>
    <message>
        <source>The callback receiver could not start on %1 port %2: %3. Choose another port in Settings.</source>
        <translation>Återanropsmottagaren kunde inte starta på %1 port %2: %3. Välj en annan port i Inställningar.</translation>
    </message>
    <message>
        <source>Live job status is off: set up the job monitor in Settings.</source>
        <translation>Jobbstatus i realtid är avstängd: ställ in jobbövervakningen i Inställningar.</translation>
    </message>
    <message>
        <source>Receiving job events at %1</source>
        <translation>Tar emot jobbhändelser på %1</translation>
    </message>
    <message>
        <source>The same shared receiver address is given twice.</source>
        <translation>Samma adress till den delade mottagaren är angiven två gånger.</translation>
    </message>
    <message>
        <source>The shared receiver refused the events token; check it in Settings.</source>
        <translation>Den delade mottagaren nekade händelsetoken; kontrollera den i Inställningar.</translation>
    </message>
    <message>
        <source>The shared receiver cannot be reached (%1); retrying.</source>
        <translation>Den delade mottagaren går inte att nå (%1); försöker igen.</translation>
    </message>
    <message>
        <source>The followed job events cannot be stored: %1 Retrying.</source>
        <translation>De följda jobbhändelserna kan inte sparas: %1 Försöker igen.</translation>
    </message>
    <message>
        <source>Following job events from %1</source>
        <translation>Följer jobbhändelser från %1</translation>
    </message>
    <message>
        <source>No system keyring is available (the keyring library found no backend)</source>
        <translation>Ingen nyckelring finns i systemet (nyckelringsbiblioteket hittade ingen lagringstjänst)</translation>
    </message>
    <message>
        <source>The keyring in use (%1) discards every secret</source>
        <translation>Nyckelringen som används (%1) kastar varje hemlighet</translation>
    </message>
    <message>
        <source>The keyring in use (%1) would store secrets unencrypted on disk</source>
        <translation>Nyckelringen som används (%1) skulle spara hemligheter okrypterade på disken</translation>
    </message>
    <message>
        <source>saved credentials cannot be used</source>
        <translation>kan sparade inloggningsuppgifter inte användas</translation>
    </message>
    <message>
        <source>the password could not be saved</source>
        <translation>kunde lösenordet inte sparas</translation>
    </message>
    <message>
        <source>the API key could not be saved</source>
        <translation>kunde API-nyckeln inte sparas</translation>
    </message>
    <message>
        <source>the saved password could not be read</source>
        <translation>kunde det sparade lösenordet inte läsas</translation>
    </message>
    <message>
        <source>the saved API key could not be read</source>
        <translation>kunde den sparade API-nyckeln inte läsas</translation>
    </message>
    <message>
        <source>the saved password could not be deleted</source>
        <translation>kunde det sparade lösenordet inte tas bort</translation>
    </message>
    <message>
        <source>the saved API key could not be deleted</source>
        <translation>kunde den sparade API-nyckeln inte tas bort</translation>
    </message>
    <message>
        <source>%1, so %2; credentials will be kept for this session only.</source>
        <translation>%1, så %2; inloggningsuppgifterna sparas bara under den här sessionen.</translation>
    </message>
    <message>
        <source>The keyring (%1) is locked, so %2; unlock it and try again.</source>
        <translation>Nyckelringen (%1) är låst, så %2; lås upp den och försök igen.</translation>
    </message>
    <message>
        <source>The keyring (%1) could not be opened, so %2.</source>
        <translation>Nyckelringen (%1) kunde inte öppnas, så %2.</translation>
    </message>
    <message>
        <source>The keyring (%1) refused the request, so %2.</source>
        <translation>Nyckelringen (%1) nekade begäran, så %2.</translation>
    </message>
    <message>
        <source>The keyring (%1) reported an error, so %2.</source>
        <translation>Nyckelringen (%1) rapporterade ett fel, så %2.</translation>
    </message>
    <message>
        <source>The keyring (%1) failed unexpectedly (%3), so %2.</source>
        <translation>Nyckelringen (%1) fick ett oväntat fel (%3), så %2.</translation>
    </message>
    <message>
        <source>%1; credentials will be kept for this session only and not saved.</source>
        <translation>%1; inloggningsuppgifterna sparas bara under den här sessionen och inte permanent.</translation>
    </message>
    <message>
        <source>store the event</source>
        <translation>spara händelsen</translation>
    </message>
    <message>
        <source>The folder of the event store (%1) could not be created: %2.</source>
        <translation>Mappen för händelselagret (%1) kunde inte skapas: %2.</translation>
    </message>
    <message>
        <source>The event store (%1) could not be opened: %2.</source>
        <translation>Händelselagret (%1) kunde inte öppnas: %2.</translation>
    </message>
    <message>
        <source>The event store (%1) could not %2: %3.</source>
        <translation>Händelselagret (%1) kunde inte %2: %3.</translation>
    </message>
    <message>
        <source>The event store (%1) was written by a newer version of Dispatch Desktop (schema %2, this version knows %3); update Dispatch Desktop to read it.</source>
        <translation>Händelselagret (%1) skrevs av en nyare version av Dispatch Desktop (schema %2, den här versionen känner till %3); uppdatera Dispatch Desktop för att läsa det.</translation>
    </message>
    <message>
        <source>be read</source>
        <translation>läsas</translation>
    </message>
    <message>
        <source>be searched</source>
        <translation>genomsökas</translation>
    </message>
    <message>
        <source>store the followed events</source>
        <translation>spara de följda händelserna</translation>
    </message>
    <message>
        <source>be pruned</source>
        <translation>rensas</translation>
    </message>
    <message>
        <source>The folder of the launch journal (%1) could not be created: %2.</source>
        <translation>Mappen för utskicksjournalen (%1) kunde inte skapas: %2.</translation>
    </message>
    <message>
        <source>The launch journal (%1) could not be opened: %2.</source>
        <translation>Utskicksjournalen (%1) kunde inte öppnas: %2.</translation>
    </message>
    <message>
        <source>The launch journal (%1) could not %2: %3.</source>
        <translation>Utskicksjournalen (%1) kunde inte %2: %3.</translation>
    </message>
    <message>
        <source>The launch journal (%1) was written by a newer version of Dispatch Desktop (schema %2, this version knows %3); update Dispatch Desktop to read it.</source>
        <translation>Utskicksjournalen (%1) skrevs av en nyare version av Dispatch Desktop (schema %2, den här versionen känner till %3); uppdatera Dispatch Desktop för att läsa den.</translation>
    </message>
    <message>
        <source>record the launch attempt</source>
        <translation>registrera startförsöket</translation>
    </message>
    <message>
        <source>record the launch outcome</source>
        <translation>registrera startens utfall</translation>
    </message>
    <message>
        <source>The launch journal (%1) has no attempt %2 to update.</source>
        <translation>Utskicksjournalen (%1) har inget startförsök %2 att uppdatera.</translation>
    </message>
    <message>
        <source>be read for export</source>
        <translation>läsas för export</translation>
    </message>
    <message>
        <source>be opened</source>
        <translation>öppnas</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Choose a saved job (Enter or double-click) to prepare its launch.</source>
        <translation>Välj ett sparat jobb (Enter eller dubbelklick) för att förbereda starten.</translation>
    </message>
    <message>
        <source>Starting the job monitor…</source>
        <translation>Startar jobbövervakningen…</translation>
    </message>
    <message>
        <source>&amp;Start job</source>
        <translation>&amp;Starta jobb</translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation>Histo&amp;rik</translation>
    </message>
    <message>
        <source>&amp;Monitor</source>
        <translation>Jobb&amp;övervakning</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Arkiv</translation>
    </message>
    <message>
        <source>H&amp;istory</source>
        <translation>Histo&amp;rik</translation>
    </message>
    <message>
        <source>Mo&amp;nitor</source>
        <translation>Jobb&amp;övervakning</translation>
    </message>
    <message>
        <source>&amp;Sign in…</source>
        <translation>&amp;Logga in…</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>Logga &amp;ut</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Avsluta</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Visa</translation>
    </message>
    <message>
        <source>&amp;Refresh saved jobs</source>
        <translation>&amp;Uppdatera sparade jobb</translation>
    </message>
    <message>
        <source>&amp;Search saved jobs</source>
        <translation>&amp;Sök bland sparade jobb</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>Ver&amp;ktyg</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Inställningar…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hjälp</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>&amp;Om</translation>
    </message>
    <message>
        <source>Set by your administrator: exercises only.</source>
        <translation>Inställt av din administratör: endast övningar.</translation>
    </message>
    <message>
        <source>Signed in as %1 on %2</source>
        <translation>Inloggad som %1 på %2</translation>
    </message>
    <message>
        <source>Keyring</source>
        <translation>Nyckelring</translation>
    </message>
    <message>
        <source>The demo server is still starting; sign in again in a moment.</source>
        <translation>Demoservern startar fortfarande; logga in igen om en stund.</translation>
    </message>
    <message>
        <source>Signed out of %1.</source>
        <translation>Utloggad från %1.</translation>
    </message>
    <message>
        <source>A launch is in progress; the form stays on it until the outcome is known.</source>
        <translation>En start pågår; formuläret visar den tills utfallet är känt.</translation>
    </message>
    <message>
        <source>Starting the job… the form is locked until the outcome is known.</source>
        <translation>Startar jobbet… formuläret är låst tills utfallet är känt.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Signed out: sign in again to continue.</source>
        <translation>Utloggad: logga in igen för att fortsätta.</translation>
    </message>
    <message>
        <source>A launch is in progress; wait for its outcome first.</source>
        <translation>En start pågår; vänta först på dess utfall.</translation>
    </message>
    <message>
        <source>About</source>
        <translation>Om</translation>
    </message>
    <message>
        <source>%1 %2
A desktop client for the LEKAB Dispatch API.</source>
        <translation>%1 %2
Ett skrivbordsprogram för LEKAB:s Dispatch-API.</translation>
    </message>
    <message>
        <source>A job is starting</source>
        <translation>Ett jobb startar</translation>
    </message>
    <message>
        <source>A job start is in progress and closing does not stop it. Dispatch Desktop will wait for the start call&apos;s answer (at most until %1), record the outcome in the launch journal, then close. Close anyway?</source>
        <translation>En jobbstart pågår och att stänga stoppar den inte. Dispatch Desktop väntar på svaret på startanropet (högst till kl. %1), registrerar utfallet i utskicksjournalen och stänger sedan. Stäng ändå?</translation>
    </message>
</context>
<context>
    <name>MonitorController</name>
    <message>
        <source>The job monitor could not start: %1</source>
        <translation>Jobbövervakningen kunde inte starta: %1</translation>
    </message>
    <message>
        <source>The job monitor could not read its jobs: %1</source>
        <translation>Jobbövervakningen kunde inte läsa sina jobb: %1</translation>
    </message>
</context>
<context>
    <name>MonitorPanel</name>
    <message>
        <source>Scheduled</source>
        <translation>Schemalagt</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Startat</translation>
    </message>
    <message>
        <source>Filling</source>
        <translation>Fylls på</translation>
    </message>
    <message>
        <source>Goal reached</source>
        <translation>Målet nått</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Avslutat</translation>
    </message>
    <message>
        <source>Job %1</source>
        <translation>Jobb %1</translation>
    </message>
    <message>
        <source>EXERCISE · %1</source>
        <translation>ÖVNING · %1</translation>
    </message>
    <message>
        <source>Not known: the Dispatch server reports who accepted, not how many people it contacted. It is shown only for a start from this computer that named its phone numbers alone.</source>
        <translation>Okänt: Dispatch-servern rapporterar vem som tackat ja, inte hur många den kontaktade. Antalet visas bara för en start från den här datorn som enbart angav telefonnummer.</translation>
    </message>
    <message numerus="yes">
        <source>Sent to the %n number(s) given at the start.</source>
        <translation>
            <numerusform>Skickat till det %n nummer som angavs vid starten.</numerusform>
            <numerusform>Skickat till de %n nummer som angavs vid starten.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n recipient(s) accepted.</source>
        <translation>
            <numerusform>%n mottagare har tackat ja.</numerusform>
            <numerusform>%n mottagare har tackat ja.</numerusform>
        </translation>
    </message>
    <message>
        <source>Not known: no response goal was given at the start from this computer, and the Dispatch server does not report the saved job&apos;s own goal.</source>
        <translation>Okänt: inget svarsmål angavs vid starten från den här datorn, och Dispatch-servern rapporterar inte det sparade jobbets eget mål.</translation>
    </message>
    <message numerus="yes">
        <source>The start asked for %n confirmed responder(s).</source>
        <translation>
            <numerusform>Starten bad om %n bekräftad svarande.</numerusform>
            <numerusform>Starten bad om %n bekräftade svarande.</numerusform>
        </translation>
    </message>
    <message>
        <source>at %1</source>
        <translation>kl. %1</translation>
    </message>
    <message>
        <source>ran %1</source>
        <translation>pågick %1</translation>
    </message>
    <message>
        <source>Job started</source>
        <translation>Jobbet startade</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>Tackat ja</translation>
    </message>
    <message>
        <source>Job finished</source>
        <translation>Jobbet avslutades</translation>
    </message>
    <message>
        <source>How many people the start sent to, when it can be known</source>
        <translation>Hur många starten skickade till, när det går att veta</translation>
    </message>
    <message>
        <source>How many people have accepted and been assigned</source>
        <translation>Hur många som har tackat ja och blivit tilldelade</translation>
    </message>
    <message>
        <source>How many confirmed responders the start asked for</source>
        <translation>Hur många bekräftade svarande starten bad om</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Jobb</translation>
    </message>
    <message>
        <source>Runtime id</source>
        <translation>Körnings-id</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Contacted</source>
        <translation>Kontaktade</translation>
    </message>
    <message>
        <source>Goal</source>
        <translation>Mål</translation>
    </message>
    <message>
        <source>Since start</source>
        <translation>Sedan start</translation>
    </message>
    <message>
        <source>Scheduled to start at %1</source>
        <translation>Schemalagt att starta %1</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Tid</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Händelse</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Vem</translation>
    </message>
    <message>
        <source>Time it took</source>
        <translation>Tid det tog</translation>
    </message>
    <message>
        <source>Monitored jobs</source>
        <translation>Övervakade jobb</translation>
    </message>
    <message>
        <source>Show &amp;older jobs</source>
        <translation>Visa &amp;äldre jobb</translation>
    </message>
    <message>
        <source>Show older jobs</source>
        <translation>Visa äldre jobb</translation>
    </message>
    <message>
        <source>The monitor shows the newest jobs; read older ones too</source>
        <translation>Jobbövervakningen visar de senaste jobben; läs in äldre också</translation>
    </message>
    <message>
        <source>Response goal progress</source>
        <translation>Framsteg mot svarsmålet</translation>
    </message>
    <message>
        <source>Job timeline</source>
        <translation>Jobbets tidslinje</translation>
    </message>
    <message>
        <source>Select a job to see its timeline.</source>
        <translation>Markera ett jobb för att se dess tidslinje.</translation>
    </message>
    <message>
        <source>%1 (runtime id %2): %3</source>
        <translation>%1 (körnings-id %2): %3</translation>
    </message>
    <message>
        <source>%1 of %2 assigned</source>
        <translation>%1 av %2 tilldelade</translation>
    </message>
    <message>
        <source>The start call answered OK at %1.</source>
        <translation>Startanropet svarade OK kl. %1.</translation>
    </message>
    <message>
        <source>Live status needs the callback receiver: no callback has arrived for this job yet, so this is what the start call returned.</source>
        <translation>Aktuell status kräver återanropsmottagaren: inget återanrop har kommit för det här jobbet ännu, så detta är vad startanropet returnerade.</translation>
    </message>
    <message>
        <source>Enter the receiver&apos;s callback URL in the system user&apos;s account settings in the Dispatch web portal; it is one URL for every account of that system user.</source>
        <translation>Ange mottagarens återanrops-URL i systemanvändarens kontoinställningar i Dispatch webbportal; det är en URL för alla konton hos den systemanvändaren.</translation>
    </message>
    <message>
        <source>Loading the monitored jobs…</source>
        <translation>Läser in de övervakade jobben…</translation>
    </message>
    <message>
        <source>Not signed in: sign in to see the jobs on your server.</source>
        <translation>Inte inloggad: logga in för att se jobben på din server.</translation>
    </message>
    <message>
        <source>No jobs to monitor yet. Jobs started from this desktop appear here, and so does every job the callback receiver reports.</source>
        <translation>Inga jobb att övervaka ännu. Jobb som startas från den här datorn visas här, liksom varje jobb som återanropsmottagaren rapporterar.</translation>
    </message>
    <message numerus="yes">
        <source>%n active job(s)</source>
        <translation>
            <numerusform>%n aktivt jobb</numerusform>
            <numerusform>%n aktiva jobb</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PolicyLock</name>
    <message>
        <source>Set by your administrator</source>
        <translation>Inställt av din administratör</translation>
    </message>
    <message>
        <source>“%1” is not one of the saved jobs this computer may start (set by your administrator); nothing was sent.</source>
        <translation>”%1” är inte ett av de sparade jobb som den här datorn får starta (inställt av din administratör); inget skickades.</translation>
    </message>
</context>
<context>
    <name>SecondPin</name>
    <message>
        <source>Second person&apos;s PIN</source>
        <translation>Andra personens PIN-kod</translation>
    </message>
    <message>
        <source>Check PIN</source>
        <translation>Kontrollera PIN-kod</translation>
    </message>
    <message>
        <source>A second person must enter their PIN to confirm this launch.</source>
        <translation>En andra person måste ange sin PIN-kod för att bekräfta utskicket.</translation>
    </message>
    <message>
        <source>PIN check</source>
        <translation>PIN-kontroll</translation>
    </message>
    <message>
        <source>Second person&apos;s PIN:</source>
        <translation>Andra personens PIN-kod:</translation>
    </message>
    <message>
        <source>Checking the PIN…</source>
        <translation>Kontrollerar PIN-koden…</translation>
    </message>
    <message>
        <source>The PIN was changed; check it again.</source>
        <translation>PIN-koden ändrades; kontrollera den igen.</translation>
    </message>
    <message>
        <source>PIN accepted: the launch may be confirmed.</source>
        <translation>PIN-koden godkänd: utskicket kan bekräftas.</translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>Fel PIN-kod.</translation>
    </message>
    <message>
        <source>Too many wrong PINs: wait %1 s before trying again.</source>
        <translation>För många felaktiga PIN-koder: vänta %1 s innan du försöker igen.</translation>
    </message>
    <message>
        <source>Enter the PIN again.</source>
        <translation>Ange PIN-koden igen.</translation>
    </message>
</context>
<context>
    <name>ServiceSignIn</name>
    <message>
        <source>Signing in…</source>
        <translation>Loggar in…</translation>
    </message>
    <message>
        <source>%1 Signing in… next try in %2 s.</source>
        <translation>%1 Loggar in… nästa försök om %2 s.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>GMM — GenericMonitoredMessage</source>
        <translation>GMM — GenericMonitoredMessage</translation>
    </message>
    <message>
        <source>GMA — GenericMultiAssign</source>
        <translation>GMA — GenericMultiAssign</translation>
    </message>
    <message>
        <source>Unknown — every field enabled, the server checks</source>
        <translation>Okänd — alla fält tillgängliga, servern kontrollerar</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Inställningar</translation>
    </message>
    <message>
        <source>Job type mapping</source>
        <translation>Koppling av jobbtyper</translation>
    </message>
    <message>
        <source>Job type</source>
        <translation>Jobbtyp</translation>
    </message>
    <message>
        <source>Generic type</source>
        <translation>Generisk typ</translation>
    </message>
    <message>
        <source>Generic type of %1</source>
        <translation>Generisk typ för %1</translation>
    </message>
    <message>
        <source>Reset to defaults</source>
        <translation>Återställ standardvärden</translation>
    </message>
    <message>
        <source>Reset job types to defaults</source>
        <translation>Återställ jobbtyperna till standardvärden</translation>
    </message>
    <message>
        <source>The Dispatch API does not say which generic type a job type derives from. The form uses this table to decide which fields a job allows. A type set to Unknown gets every field; the server then checks them.</source>
        <translation>Dispatch-API:t anger inte vilken generisk typ en jobbtyp bygger på. Formuläret använder den här tabellen för att avgöra vilka fält ett jobb tillåter. En typ som är satt till Okänd får alla fält; servern kontrollerar dem då.</translation>
    </message>
    <message>
        <source>&amp;Job types</source>
        <translation>&amp;Jobbtyper</translation>
    </message>
    <message>
        <source>Job &amp;monitor</source>
        <translation>Jobb&amp;övervakning</translation>
    </message>
    <message>
        <source>&amp;Launching</source>
        <translation>&amp;Utskick</translation>
    </message>
    <message>
        <source>Lan&amp;guage</source>
        <translation>&amp;Språk</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Språk</translation>
    </message>
    <message>
        <source>Language of the windows</source>
        <translation>Fönstrens språk</translation>
    </message>
    <message>
        <source>As the system</source>
        <translation>Som systemet</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Språk:</translation>
    </message>
    <message>
        <source>Applies at the next start of Dispatch Desktop. The command line option --language and your administrator&apos;s settings take precedence.</source>
        <translation>Gäller från nästa start av Dispatch Desktop. Kommandoradsflaggan --language och administratörens inställningar går före.</translation>
    </message>
    <message>
        <source>Job monitor (live job events)</source>
        <translation>Jobbövervakning (jobbhändelser i realtid)</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Av</translation>
    </message>
    <message>
        <source>Receive callbacks on this computer</source>
        <translation>Ta emot återanrop på den här datorn</translation>
    </message>
    <message>
        <source>Follow a shared receiver</source>
        <translation>Följ en delad mottagare</translation>
    </message>
    <message>
        <source>Job monitor off</source>
        <translation>Jobbövervakning av</translation>
    </message>
    <message>
        <source>Receiver bind address</source>
        <translation>Mottagarens lyssningsadress</translation>
    </message>
    <message>
        <source>Receiver port</source>
        <translation>Mottagarens port</translation>
    </message>
    <message>
        <source>shown once the receiver runs</source>
        <translation>visas när mottagaren är igång</translation>
    </message>
    <message>
        <source>Callback URL</source>
        <translation>Återanrops-URL</translation>
    </message>
    <message>
        <source>New token</source>
        <translation>Ny token</translation>
    </message>
    <message>
        <source>New callback token</source>
        <translation>Ny återanropstoken</translation>
    </message>
    <message>
        <source>Make a new secret token: the current callback URL stops working</source>
        <translation>Skapa en ny hemlig token: nuvarande återanrops-URL slutar fungera</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopiera</translation>
    </message>
    <message>
        <source>Copy callback URL</source>
        <translation>Kopiera återanrops-URL</translation>
    </message>
    <message>
        <source>Shared receiver address</source>
        <translation>Den delade mottagarens adress</translation>
    </message>
    <message>
        <source>Receiver address problem</source>
        <translation>Fel i mottagarens adress</translation>
    </message>
    <message>
        <source>Events token</source>
        <translation>Händelsetoken</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>oförändrad</translation>
    </message>
    <message>
        <source>Desktop notifications for jobs</source>
        <translation>Skrivbordsaviseringar för jobb</translation>
    </message>
    <message>
        <source>Desktop notifications</source>
        <translation>Skrivbordsaviseringar</translation>
    </message>
    <message>
        <source> days</source>
        <translation> dagar</translation>
    </message>
    <message>
        <source>Days to keep job events</source>
        <translation>Dagar att spara jobbhändelser</translation>
    </message>
    <message>
        <source>The callback URL is set once per system user in its account settings at LEKAB (callback type POST) and shared by every login of the company. Put a TLS reverse proxy in front of a receiver reachable from the internet.</source>
        <translation>Återanrops-URL:en anges en gång per systemanvändare i dess kontoinställningar hos LEKAB (återanropstyp POST) och delas av alla inloggningar i företaget. Sätt en omvänd TLS-proxy framför en mottagare som kan nås från internet.</translation>
    </message>
    <message>
        <source>Bind address:</source>
        <translation>Lyssningsadress:</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>Port:</translation>
    </message>
    <message>
        <source>URL for LEKAB:</source>
        <translation>URL till LEKAB:</translation>
    </message>
    <message>
        <source>Receiver address:</source>
        <translation>Mottagarens adress:</translation>
    </message>
    <message>
        <source>Events token:</source>
        <translation>Händelsetoken:</translation>
    </message>
    <message>
        <source>Keep job events for:</source>
        <translation>Spara jobbhändelser i:</translation>
    </message>
    <message>
        <source>Older job events are deleted from this computer. The launch history is kept: it is the record of what was sent.</source>
        <translation>Äldre jobbhändelser raderas från den här datorn. Utskickshistoriken behålls: den visar vad som skickades.</translation>
    </message>
    <message>
        <source>a new token is made on OK: enter the new URL at LEKAB</source>
        <translation>en ny token skapas vid OK: ange den nya URL:en hos LEKAB</translation>
    </message>
    <message>
        <source>English</source>
        <translation>Engelska</translation>
    </message>
    <message>
        <source>Swedish</source>
        <translation>Svenska</translation>
    </message>
    <message>
        <source>The exercise marker must not be blank: it tells people a message is a drill.</source>
        <translation>Övningsmärkningen får inte vara tom: den visar mottagarna att meddelandet är en övning.</translation>
    </message>
    <message>
        <source>The exercise marker may have at most %1 characters: it goes in front of every exercise message.</source>
        <translation>Övningsmärkningen får ha högst %1 tecken: den sätts framför varje övningsmeddelande.</translation>
    </message>
    <message>
        <source>The exercise marker</source>
        <translation>Övningsmärkningen</translation>
    </message>
    <message>
        <source>Launching</source>
        <translation>Utskick</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Seconds to cancel a start</source>
        <translation>Sekunder att avbryta en start</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>Repeat warning window</source>
        <translation>Tid för varning vid upprepning</translation>
    </message>
    <message>
        <source>Time to cancel after Confirm:</source>
        <translation>Tid att avbryta efter Bekräfta:</translation>
    </message>
    <message>
        <source>0 to 10 seconds; 0 sends at once.</source>
        <translation>0 till 10 sekunder; 0 skickar direkt.</translation>
    </message>
    <message>
        <source>Warn before a repeat within:</source>
        <translation>Varna före en upprepning inom:</translation>
    </message>
    <message>
        <source>1 to 1440 minutes. A launch whose outcome is not known is always warned about.</source>
        <translation>1 till 1440 minuter. En start med okänt utfall varnas det alltid för.</translation>
    </message>
    <message>
        <source>Exercise marker (%1)</source>
        <translation>Övningsmärkning (%1)</translation>
    </message>
    <message>
        <source>Exercise marker, %1:</source>
        <translation>Övningsmärkning, %1:</translation>
    </message>
    <message>
        <source>Put in front of every exercise message; at most %1 characters.</source>
        <translation>Sätts framför varje övningsmeddelande; högst %1 tecken.</translation>
    </message>
    <message>
        <source>Launch settings problem</source>
        <translation>Fel i startinställningarna</translation>
    </message>
</context>
<context>
    <name>Signin</name>
    <message>
        <source>In the request (username/password, U/P)</source>
        <translation>I begäran (username/password, U/P)</translation>
    </message>
    <message>
        <source>HTTP Basic authentication</source>
        <translation>HTTP Basic-autentisering</translation>
    </message>
    <message>
        <source>X-Lekab-Userid / X-Lekab-Password headers</source>
        <translation>Rubrikerna X-Lekab-Userid / X-Lekab-Password</translation>
    </message>
    <message>
        <source>In the request (apikey, key)</source>
        <translation>I begäran (apikey, key)</translation>
    </message>
    <message>
        <source>X-API-Key header</source>
        <translation>Rubriken X-API-Key</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Logga in</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Serveradress</translation>
    </message>
    <message>
        <source>&amp;Username and password</source>
        <translation>&amp;Användarnamn och lösenord</translation>
    </message>
    <message>
        <source>API &amp;key</source>
        <translation>API-&amp;nyckel</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Användarnamn</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Lösenord</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API-nyckel</translation>
    </message>
    <message>
        <source>&amp;Remember credentials in the system keyring</source>
        <translation>&amp;Kom ihåg inloggningsuppgifterna i systemets nyckelring</translation>
    </message>
    <message>
        <source>Remember credentials</source>
        <translation>Kom ihåg inloggningsuppgifterna</translation>
    </message>
    <message>
        <source>&amp;Forget</source>
        <translation>&amp;Glöm</translation>
    </message>
    <message>
        <source>Forget stored credentials</source>
        <translation>Glöm sparade inloggningsuppgifter</translation>
    </message>
    <message>
        <source>Remove the stored secret from the keyring</source>
        <translation>Ta bort den sparade hemligheten från nyckelringen</translation>
    </message>
    <message>
        <source>Keyring status</source>
        <translation>Nyckelringens status</translation>
    </message>
    <message>
        <source>Ad&amp;vanced</source>
        <translation>A&amp;vancerat</translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>Avancerat</translation>
    </message>
    <message>
        <source>Credentials travel</source>
        <translation>Inloggningsuppgifterna skickas</translation>
    </message>
    <message>
        <source>HTTP method</source>
        <translation>HTTP-metod</translation>
    </message>
    <message>
        <source>POST (JSON body)</source>
        <translation>POST (JSON-innehåll)</translation>
    </message>
    <message>
        <source>GET (query parameters)</source>
        <translation>GET (frågeparametrar)</translation>
    </message>
    <message>
        <source>Credentials travel:</source>
        <translation>Inloggningsuppgifterna skickas:</translation>
    </message>
    <message>
        <source>Requests use:</source>
        <translation>Anropen använder:</translation>
    </message>
    <message>
        <source>Sign-in error</source>
        <translation>Inloggningsfel</translation>
    </message>
    <message>
        <source>Signing in</source>
        <translation>Loggar in</translation>
    </message>
    <message>
        <source>&amp;Sign in</source>
        <translation>&amp;Logga in</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Avbryt</translation>
    </message>
    <message>
        <source>S&amp;erver address:</source>
        <translation>S&amp;erveradress:</translation>
    </message>
    <message>
        <source>Sign in with:</source>
        <translation>Logga in med:</translation>
    </message>
    <message>
        <source>User&amp;name:</source>
        <translation>Använ&amp;darnamn:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>Lösen&amp;ord:</translation>
    </message>
    <message>
        <source>API ke&amp;y:</source>
        <translation>API-n&amp;yckel:</translation>
    </message>
    <message>
        <source>In demo mode Dispatch Desktop talks only to its built-in demo server. To use a real server, start it without --demo.</source>
        <translation>I demoläge talar Dispatch Desktop bara med sin inbyggda demoserver. Starta programmet utan --demo för att använda en riktig server.</translation>
    </message>
    <message>
        <source>Starting the demo server…</source>
        <translation>Startar demoservern…</translation>
    </message>
    <message>
        <source>Credentials are stored in: %1.</source>
        <translation>Inloggningsuppgifterna sparas i: %1.</translation>
    </message>
    <message>
        <source>Give the server and user whose secret to forget.</source>
        <translation>Ange servern och användaren vars hemlighet ska glömmas.</translation>
    </message>
    <message>
        <source>The stored API key was removed from the keyring.</source>
        <translation>Den sparade API-nyckeln togs bort från nyckelringen.</translation>
    </message>
    <message>
        <source>The stored password was removed from the keyring.</source>
        <translation>Det sparade lösenordet togs bort från nyckelringen.</translation>
    </message>
    <message>
        <source>Sign-in cancelled.</source>
        <translation>Inloggningen avbröts.</translation>
    </message>
    <message>
        <source>Sign-in failed for an unexpected reason; see the log file.</source>
        <translation>Inloggningen misslyckades av en oväntad anledning; se loggfilen.</translation>
    </message>
</context>
<context>
    <name>StartForm</name>
    <message>
        <source>Calendar</source>
        <translation>Kalender</translation>
    </message>
    <message>
        <source>Days of the month</source>
        <translation>Månadens dagar</translation>
    </message>
    <message>
        <source>Previous month</source>
        <translation>Föregående månad</translation>
    </message>
    <message>
        <source>Next month</source>
        <translation>Nästa månad</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Månad</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>År</translation>
    </message>
    <message>
        <source>Disabled: %1.</source>
        <translation>Inte tillgängligt: %1.</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fel</translation>
    </message>
    <message>
        <source>Saved job id</source>
        <translation>Id för sparat jobb</translation>
    </message>
    <message>
        <source>Copy id</source>
        <translation>Kopiera id</translation>
    </message>
    <message>
        <source>Copy saved job id</source>
        <translation>Kopiera det sparade jobbets id</translation>
    </message>
    <message>
        <source>Filled from an earlier launch</source>
        <translation>Ifyllt från en tidigare start</translation>
    </message>
    <message>
        <source>E&amp;xercise — the message goes out marked as an exercise</source>
        <translation>Öv&amp;ning — meddelandet går ut märkt som övning</translation>
    </message>
    <message>
        <source>Exercise</source>
        <translation>Övning</translation>
    </message>
    <message>
        <source>Job name</source>
        <translation>Jobbnamn</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meddelande</translation>
    </message>
    <message>
        <source>Leave empty to send the saved job&apos;s message</source>
        <translation>Lämna tomt för att skicka det sparade jobbets meddelande</translation>
    </message>
    <message>
        <source>Exercise marker</source>
        <translation>Övningsmärkning</translation>
    </message>
    <message>
        <source>Sent in front of the message, so nobody takes the exercise for real.</source>
        <translation>Skickas före meddelandet, så att ingen tar övningen för ett skarpt larm.</translation>
    </message>
    <message>
        <source>Message length</source>
        <translation>Meddelandets längd</translation>
    </message>
    <message>
        <source>Assigned message</source>
        <translation>Meddelande vid tilldelning</translation>
    </message>
    <message>
        <source>Recipient phone numbers</source>
        <translation>Mottagarnas telefonnummer</translation>
    </message>
    <message>
        <source>+46701234567, +4790012345</source>
        <translation>+46701234567, +4790012345</translation>
    </message>
    <message>
        <source>Recipient saved tag filters</source>
        <translation>Mottagarnas sparade taggfilter</translation>
    </message>
    <message>
        <source>One saved tag filter name per line</source>
        <translation>Ett namn på sparat taggfilter per rad</translation>
    </message>
    <message>
        <source>Recipient groups</source>
        <translation>Mottagargrupper</translation>
    </message>
    <message>
        <source>One group name per line</source>
        <translation>Ett gruppnamn per rad</translation>
    </message>
    <message>
        <source>Tag filter</source>
        <translation>Taggfilter</translation>
    </message>
    <message>
        <source>Phone numbers to exclude</source>
        <translation>Telefonnummer att undanta</translation>
    </message>
    <message>
        <source>Exclude tag filter</source>
        <translation>Taggfilter att undanta</translation>
    </message>
    <message>
        <source>Response goal</source>
        <translation>Svarsmål</translation>
    </message>
    <message>
        <source>Not set</source>
        <translation>Inte angivet</translation>
    </message>
    <message>
        <source>Start now</source>
        <translation>Starta nu</translation>
    </message>
    <message>
        <source>&amp;At</source>
        <translation>V&amp;id</translation>
    </message>
    <message>
        <source>Start at a scheduled time</source>
        <translation>Starta vid en schemalagd tid</translation>
    </message>
    <message>
        <source>Scheduled start</source>
        <translation>Schemalagd start</translation>
    </message>
    <message>
        <source>Scheduled start in UTC</source>
        <translation>Schemalagd start i UTC</translation>
    </message>
    <message>
        <source>Start job…</source>
        <translation>Starta jobb…</translation>
    </message>
    <message>
        <source>Start job</source>
        <translation>Starta jobb</translation>
    </message>
    <message>
        <source>Review and confirm the launch (Ctrl+Enter)</source>
        <translation>Granska och bekräfta starten (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>New &amp;launch</source>
        <translation>N&amp;y start</translation>
    </message>
    <message>
        <source>Prepare a new launch</source>
        <translation>Förbered en ny start</translation>
    </message>
    <message>
        <source>Prepare another launch of this saved job, starting from its own settings</source>
        <translation>Förbered en ny start av det här sparade jobbet, utifrån dess egna inställningar</translation>
    </message>
    <message>
        <source>A&amp;dd to them</source>
        <translation>&amp;Lägg till dem</translation>
    </message>
    <message>
        <source>Add to the saved job&apos;s recipients</source>
        <translation>Lägg till det sparade jobbets mottagare</translation>
    </message>
    <message>
        <source>&amp;Replace them</source>
        <translation>&amp;Ersätt dem</translation>
    </message>
    <message>
        <source>Replace the saved job&apos;s recipients</source>
        <translation>Ersätt det sparade jobbets mottagare</translation>
    </message>
    <message>
        <source>The saved job&apos;s own recipients</source>
        <translation>Det sparade jobbets egna mottagare</translation>
    </message>
    <message>
        <source>No&amp;w</source>
        <translation>N&amp;u</translation>
    </message>
    <message>
        <source>F4 or Alt+Down opens the calendar.</source>
        <translation>F4 eller Alt+Nedpil öppnar kalendern.</translation>
    </message>
    <message>
        <source>&amp;Job name:</source>
        <translation>&amp;Jobbnamn:</translation>
    </message>
    <message>
        <source>&amp;Message:</source>
        <translation>&amp;Meddelande:</translation>
    </message>
    <message>
        <source>Assigned m&amp;essage:</source>
        <translation>Meddelande vid &amp;tilldelning:</translation>
    </message>
    <message>
        <source>Recipients</source>
        <translation>Mottagare</translation>
    </message>
    <message>
        <source>Phone numbers:</source>
        <translation>Telefonnummer:</translation>
    </message>
    <message>
        <source>Saved tag filters:</source>
        <translation>Sparade taggfilter:</translation>
    </message>
    <message>
        <source>Groups:</source>
        <translation>Grupper:</translation>
    </message>
    <message>
        <source>Tag filter:</source>
        <translation>Taggfilter:</translation>
    </message>
    <message>
        <source>The saved job&apos;s own recipients:</source>
        <translation>Jobbets egna mottagare:</translation>
    </message>
    <message>
        <source>Recipients to exclude</source>
        <translation>Mottagare att undanta</translation>
    </message>
    <message>
        <source>Response &amp;goal:</source>
        <translation>Svarsm&amp;ål:</translation>
    </message>
    <message>
        <source>Start:</source>
        <translation>Start:</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>okänd</translation>
    </message>
    <message>
        <source>%1
Type %2 · generic type %3</source>
        <translation>%1
Typ %2 · generisk typ %3</translation>
    </message>
    <message>
        <source>Leave empty to keep “%1”</source>
        <translation>Lämna tomt för att behålla ”%1”</translation>
    </message>
    <message>
        <source>The generic type of this job type is unknown, so the form cannot tell which fields it allows: every field is enabled and the server checks them. Set the type in Settings to get the rules checked here.</source>
        <translation>Den här jobbtypens generiska typ är okänd, så formuläret kan inte avgöra vilka fält den tillåter: alla fält är tillgängliga och servern kontrollerar dem. Ange typen i Inställningar för att få reglerna kontrollerade här.</translation>
    </message>
    <message>
        <source>GMA job: recipients come from tag filters. A new tag filter replaces the saved filters and needs a response goal, and a response goal needs a new filter.</source>
        <translation>GMA-jobb: mottagarna kommer från taggfilter. Ett nytt taggfilter ersätter de sparade filtren och kräver ett svarsmål, och ett svarsmål kräver ett nytt filter.</translation>
    </message>
    <message>
        <source>GMM job: every recipient field is available.</source>
        <translation>GMM-jobb: alla mottagarfält är tillgängliga.</translation>
    </message>
    <message>
        <source>This computer is set to send exercises only.</source>
        <translation>Den här datorn är inställd på att bara skicka övningar.</translation>
    </message>
    <message>
        <source>The tag filter is not valid.</source>
        <translation>Taggfiltret är inte giltigt.</translation>
    </message>
    <message>
        <source>Scheduled start: choose a valid date and time.</source>
        <translation>Schemalagd start: välj ett giltigt datum och en giltig tid.</translation>
    </message>
    <message>
        <source>Launch done: the form is back to the saved job&apos;s own settings. Choose “New launch” to prepare another launch of this job.</source>
        <translation>Starten är klar: formuläret har återgått till det sparade jobbets egna inställningar. Välj ”Ny start” för att förbereda en ny start av jobbet.</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) to fix before the job can start.</source>
        <translation>
            <numerusform>%n fel att rätta innan jobbet kan startas.</numerusform>
            <numerusform>%n fel att rätta innan jobbet kan startas.</numerusform>
        </translation>
    </message>
    <message>
        <source>This job type always replaces them: a tag filter given here replaces the saved job&apos;s recipients.</source>
        <translation>Den här jobbtypen ersätter dem alltid: ett taggfilter som anges här ersätter det sparade jobbets mottagare.</translation>
    </message>
    <message>
        <source>No recipients given here: the saved job&apos;s own recipients are used.</source>
        <translation>Inga mottagare angivna här: det sparade jobbets egna mottagare används.</translation>
    </message>
    <message>
        <source>Filled in with the settings of an earlier launch. Nothing is sent until you start it and confirm.</source>
        <translation>Ifyllt med inställningarna från en tidigare start. Inget skickas förrän du startar och bekräftar.</translation>
    </message>
    <message>
        <source>Not filled in (this form cannot show them): %1.</source>
        <translation>Inte ifyllt (formuläret kan inte visa dem): %1.</translation>
    </message>
    <message>
        <source>right away</source>
        <translation>direkt</translation>
    </message>
    <message>
        <source>= %1 UTC (%2)</source>
        <translation>= %1 UTC (%2)</translation>
    </message>
    <message>
        <source>An exercise needs a message written here.</source>
        <translation>En övning behöver ett meddelande skrivet här.</translation>
    </message>
    <message>
        <source>The saved job&apos;s message is sent.</source>
        <translation>Det sparade jobbets meddelande skickas.</translation>
    </message>
    <message>
        <source>%1 characters · %2 SMS (%3) · %4 left in this part</source>
        <translation>%1 tecken · %2 sms (%3) · %4 kvar i den här delen</translation>
    </message>
    <message>
        <source> · the exercise marker included</source>
        <translation> · inklusive övningsmärkningen</translation>
    </message>
    <message>
        <source>in the past</source>
        <translation>i det förflutna</translation>
    </message>
    <message>
        <source>in %1 min</source>
        <translation>om %1 min</translation>
    </message>
    <message>
        <source>in %1 h %2 min</source>
        <translation>om %1 tim %2 min</translation>
    </message>
    <message>
        <source>in %1 days</source>
        <translation>om %1 dygn</translation>
    </message>
</context>
<context>
    <name>TagfilterBuilder</name>
    <message>
        <source>Tag type “%1” not seen before</source>
        <extracomment>A condition as typed: (tag type text, values text).</extracomment>
        <translation>Taggtypen ”%1” har inte setts förut</translation>
    </message>
    <message>
        <source>Value “%1” of %2 not seen before</source>
        <translation>Värdet ”%1” för %2 har inte setts förut</translation>
    </message>
    <message>
        <source>: check the spelling.</source>
        <translation>: kontrollera stavningen.</translation>
    </message>
    <message>
        <source> — did you mean “%1”?</source>
        <translation> — menade du ”%1”?</translation>
    </message>
    <message>
        <source>AND</source>
        <translation>OCH</translation>
    </message>
    <message>
        <source>Tag type, e.g. Base</source>
        <translation>Taggtyp, t.ex. Bas</translation>
    </message>
    <message>
        <source>Values separated by |, e.g. STO|OSL</source>
        <translation>Värden åtskilda med |, t.ex. STO|OSL</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Ta bort</translation>
    </message>
    <message>
        <source>Use the suggested spelling</source>
        <translation>Använd den föreslagna stavningen</translation>
    </message>
    <message>
        <source>is any of</source>
        <translation>är något av</translation>
    </message>
    <message>
        <source>Tag type %1</source>
        <translation>Taggtyp %1</translation>
    </message>
    <message>
        <source>Tag values %1</source>
        <translation>Taggvärden %1</translation>
    </message>
    <message>
        <source>Remove condition %1</source>
        <translation>Ta bort villkor %1</translation>
    </message>
    <message>
        <source>Preview of %1</source>
        <translation>Förhandsvisning av %1</translation>
    </message>
    <message>
        <source>Condition %1: %2</source>
        <translation>Villkor %1: %2</translation>
    </message>
    <message>
        <source>Use “%1”</source>
        <translation>Använd ”%1”</translation>
    </message>
    <message>
        <source>Write “%1” instead of “%2”</source>
        <translation>Skriv ”%1” i stället för ”%2”</translation>
    </message>
    <message>
        <source>Add condition</source>
        <translation>Lägg till villkor</translation>
    </message>
    <message>
        <source>e.g. Base:STO|OSL;On call:Yes</source>
        <translation>t.ex. Bas:STO|OSL;Jour:Ja</translation>
    </message>
    <message>
        <source>Edit as text</source>
        <translation>Redigera som text</translation>
    </message>
    <message>
        <source>As text:</source>
        <translation>Som text:</translation>
    </message>
    <message>
        <source>Conditions are separated by &apos;;&apos; (AND), values by &apos;|&apos; (any of).</source>
        <translation>Villkor skiljs åt med &apos;;&apos; (OCH), värden med &apos;|&apos; (något av).</translation>
    </message>
    <message>
        <source>(not valid yet)</source>
        <translation>(inte giltigt ännu)</translation>
    </message>
    <message>
        <source>(not set)</source>
        <translation>(inte angivet)</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>Response goal reached: %1 of %2 assigned.</source>
        <translation>Svarsmålet nått: %1 av %2 tilldelade.</translation>
    </message>
    <message>
        <source>Finished with %1 assigned.</source>
        <translation>Avslutat med %1 tilldelade.</translation>
    </message>
    <message>
        <source>%1 accepted.</source>
        <translation>%1 tackade ja.</translation>
    </message>
    <message numerus="yes">
        <source>%n new assignment(s).</source>
        <translation>
            <numerusform>%n ny tilldelning.</numerusform>
            <numerusform>%n nya tilldelningar.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2 assigned.</source>
        <translation>%1 av %2 tilldelade.</translation>
    </message>
    <message numerus="yes">
        <source>%n active job(s)</source>
        <translation>
            <numerusform>%n aktivt jobb</numerusform>
            <numerusform>%n aktiva jobb</numerusform>
        </translation>
    </message>
    <message>
        <source>No active jobs</source>
        <translation>Inga aktiva jobb</translation>
    </message>
</context>
</TS>
