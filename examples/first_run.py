"""A first run with no account: start the demo server, list its saved jobs, start one.

Run it with ``make example`` (or ``.venv/bin/python examples/first_run.py``).
"""

from dispatch_desktop.api import (
    Credentials,
    DispatchClient,
    GenericType,
    JobTypeMapping,
    StartJobRequest,
    TagFilter,
)
from dispatch_desktop.demo import DEMO_PASSWORD, DEMO_USERNAME, DemoServer

with DemoServer() as server:
    print(f"Demo server: {server.url}  (account {DEMO_USERNAME} / {DEMO_PASSWORD})")
    credentials = Credentials(username=DEMO_USERNAME, password=DEMO_PASSWORD)
    with DispatchClient(server.url, credentials) as client:
        mapping = JobTypeMapping()
        for job in client.list_saved_jobs():
            generic = mapping.generic_type_of(job.type)
            shown = generic.value if generic else "unknown"
            print(f"  {job.id}  {job.name:<24} {job.type:<18} {shown}")

        result = client.start_saved_job(
            StartJobRequest(
                jobid=352872112744058883,
                jobname="Xmas bash",
                toaddressbookcustomtagfilter=TagFilter.parse("Base:STO|OSL;On call:Yes"),
                responsegoal=3,
            ),
            generic_type=GenericType.GMM,
        )
        print(f"Started {result.jobname!r} with runtime id {result.runtimeid}")
