"""Shared material of the receiver tests: the reference's callback bodies and a small HTTP
client on the standard library (every connection closed: ResourceWarning fails the tests)."""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass
from typing import Any

# Reference 3.1.1-3.1.3, byte for byte (spacing and line breaks included).
JOB_START = b"""{
"jobid" : "777903613308588032",
"userid" : 113495,
"eventtype" : "JOB_START",
"timestamp" : 1644928276273,
"jobtype" : "GroundHandling",
"sendtaskid" : "",
"sendname" : "",
"contactid" : "",
"agent" : "md-adm"
}"""
JOB_ASSIGN = b"""{
"jobid" : "777903613308588032",
"userid" : 113495,
"eventtype" : "JOB_ASSIGN",
"timestamp" : 1644928296110,
"jobtype" : "",
"sendtaskid" : "777903613518303232",
"sendname" : "Tomas Hansson - Lekab",
"contactid" : "519898635249405952",
"agent" : "SYSTEM"
}"""
JOB_FINISH = b"""{
"jobid" : "777903613308588032",
"userid" : 113495,
"eventtype" : "JOB_FINISH",
"timestamp" : 1644928299193,
"jobtype" : "",
"sendtaskid" : "",
"sendname" : "",
"contactid" : "",
"agent" : "SYSTEM"
}"""
REFERENCE_JOB_ID = 777903613308588032  # above 2**53: a float would change it (F1)
REFERENCE_SENDTASK_ID = 777903613518303232
REFERENCE_CONTACT_ID = 519898635249405952


def event_body(number: int, eventtype: str = "JOB_ASSIGN", **fields: Any) -> bytes:
    """A distinct callback body in the reference's form (ids as strings, F2)."""
    document = {
        "jobid": str(REFERENCE_JOB_ID),
        "userid": 113495,
        "eventtype": eventtype,
        "timestamp": 1644928296110 + number,
        "jobtype": "",
        "sendtaskid": str(REFERENCE_SENDTASK_ID + number),
        "sendname": f"Responder {number}",
        "contactid": str(REFERENCE_CONTACT_ID + number),
        "agent": "SYSTEM",
        **fields,
    }
    return json.dumps(document).encode("utf-8")


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 5.0,
) -> Answer:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Answer(
            response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        )
    finally:
        connection.close()


def post(port: int, path: str, body: bytes, **kwargs: Any) -> Answer:
    headers = {"Content-Type": "application/json", **kwargs.pop("headers", {})}
    return request(port, "POST", path, body, headers, **kwargs)
