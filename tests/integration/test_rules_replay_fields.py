"""Item fields survive the store: an SEC EDGAR filing hit by a `forms:` signal keeps that hit when
the stored item is replayed and explained, because its form_type was stored with it."""
import os
import tempfile

from harness import Checks, parse_args, run, run_json

args = parse_args()
checks = Checks()

RULES = """brief: {id: annual, title: Annual reports, threshold: 1}
signals:
  - {id: refiner, kind: confirm, weight: 1, any: [tesoro], forms: [10-K]}
"""


def entry(form, accession):
    return (f"<entry><title>{form} - TESORO CORP /NEW/ (0000050104) (Filer)</title>"
            f"<link rel='alternate' href='https://www.sec.gov/Archives/edgar/data/50104/{accession}-index.htm'/>"
            f"<summary type='html'>&lt;b&gt;Filed:&lt;/b&gt; 2016-02-25 &lt;b&gt;AccNo:&lt;/b&gt; {accession}</summary>"
            f"<updated>2016-02-25T17:29:49-05:00</updated>"
            f"<category scheme='http://www.sec.gov/' label='form type' term='{form}'/>"
            f"<id>urn:tag:sec.gov,2008:accession-number={accession}</id></entry>")


with tempfile.TemporaryDirectory(prefix="signalmon-fields-") as work:
    os.mkdir(os.path.join(work, "rules"))
    with open(os.path.join(work, "rules", "annual.yaml"), "w") as out:
        out.write(RULES)
    with open(os.path.join(work, "edgar.atom"), "w") as out:
        out.write("<feed xmlns='http://www.w3.org/2005/Atom'><title>Latest Filings</title>"
                  + entry("10-K", "0000050104-16-000055") + entry("4", "0000050104-16-000056") + "</feed>")
    config = os.path.join(work, "feeds.yaml")
    with open(config, "w") as out:
        out.write("state_dir: state\nrules_dir: rules\nfeeds:\n  - id: filings\n    url: edgar.atom\n")
    ctl = [args.signalctl, "--config", config]

    run([args.signalmond, "--config", config, "--once"])
    polled = run_json(ctl + ["hits", "--json"])
    checks.equal([hit["item_id"] for hit in polled], ["0000050104-16-000055"], "the poll hits the 10-K only")

    replayed = run_json(ctl + ["replay", "--json"])
    checks.equal(replayed["items"], 2, "replay re-scores both stored filings")
    checks.equal(replayed["no_longer_produced"], [], "the forms: hit still holds after a replay")
    checks.equal(replayed["new"], [], "the form 4 filing stays filtered out")

    explained = run_json(ctl + ["hits", "--json", "--explain"])["hits"]
    signals = explained[0]["explanation"]["briefs"][0]["signals"]
    checks.equal([signal["signal"] for signal in signals], ["refiner"], "hits --explain sees the form type")

checks.finish()
