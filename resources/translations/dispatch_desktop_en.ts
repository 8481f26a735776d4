<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Confirm</name>
    <message numerus="yes">
        <source>%n confirmed responder(s)</source>
        <translation>
            <numerusform>%n confirmed responder</numerusform>
            <numerusform>%n confirmed responders</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message numerus="yes">
        <source>%n number(s)</source>
        <translation>
            <numerusform>%n number</numerusform>
            <numerusform>%n numbers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n launch attempt(s) recorded on %1.</source>
        <translation>
            <numerusform>%n launch attempt recorded on %1.</numerusform>
            <numerusform>%n launch attempts recorded on %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %n launch attempt(s) to %1.</source>
        <translation>
            <numerusform>Exported %n launch attempt to %1.</numerusform>
            <numerusform>Exported %n launch attempts to %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>JobsPanel</name>
    <message numerus="yes">
        <source>%n saved job(s)</source>
        <translation>
            <numerusform>%n saved job</numerusform>
            <numerusform>%n saved jobs</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MonitorPanel</name>
    <message numerus="yes">
        <source>Sent to the %n number(s) given at the start.</source>
        <translation>
            <numerusform>Sent to the %n number given at the start.</numerusform>
            <numerusform>Sent to the %n numbers given at the start.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n recipient(s) have accepted.</source>
        <translation>
            <numerusform>%n recipient has accepted.</numerusform>
            <numerusform>%n recipients have accepted.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The start asked for %n confirmed responder(s).</source>
        <translation>
            <numerusform>The start asked for %n confirmed responder.</numerusform>
            <numerusform>The start asked for %n confirmed responders.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n active job(s)</source>
        <translation>
            <numerusform>%n active job</numerusform>
            <numerusform>%n active jobs</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StartForm</name>
    <message numerus="yes">
        <source>%n problem(s) to fix before the job can start.</source>
        <translation>
            <numerusform>%n problem to fix before the job can start.</numerusform>
            <numerusform>%n problems to fix before the job can start.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message numerus="yes">
        <source>%n new assignment(s).</source>
        <translation>
            <numerusform>%n new assignment.</numerusform>
            <numerusform>%n new assignments.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n active job(s)</source>
        <translation>
            <numerusform>%n active job</numerusform>
            <numerusform>%n active jobs</numerusform>
        </translation>
    </message>
</context>
</TS>
