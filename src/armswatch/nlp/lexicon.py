"""Words that signal arms-transfer events, their modality and the roles of the states in them.

Kept apart from the extractor's logic so the vocabulary can be read and extended on its own.
"""

from __future__ import annotations

# Lemma -> event type. Nouns and verbs alike; the parse tells which role each plays.
TRIGGERS: dict[str, str] = {
    # talks: negotiations, offers, requests, consideration, approvals on the way to a contract
    "talk": "talks",
    "negotiate": "talks",
    "negotiation": "talks",
    "discuss": "talks",
    "discussion": "talks",
    "offer": "talks",
    "propose": "talks",
    "proposal": "talks",
    "pitch": "talks",
    "request": "talks",
    "tender": "talks",
    "bid": "talks",
    "compete": "talks",
    "contender": "talks",
    "shortlist": "talks",
    "select": "talks",
    "selection": "talks",
    "evaluate": "talks",
    "evaluation": "talks",
    "consider": "talks",
    "clearance": "talks",
    "approve": "talks",
    "approval": "talks",
    "clear": "talks",
    "interest": "talks",
    "interested": "talks",
    "rfp": "talks",
    "rfi": "talks",
    "loi": "talks",
    "mou": "talks",
    "competition": "talks",
    "choose": "talks",
    "front-runner": "talks",
    "frontrunner": "talks",
    "contest": "talks",
    "back": "talks",
    "favour": "talks",
    "favor": "talks",
    "prefer": "talks",
    "pick": "talks",
    "winner": "talks",
    "favourite": "talks",
    "favorite": "talks",
    "recommend": "talks",
    "respond": "talks",
    "response": "talks",
    # orders: contracts signed, purchases concluded
    "order": "order",
    "contract": "order",
    "sign": "order",
    "ink": "order",
    "buy": "order",
    "purchase": "order",
    "procure": "order",
    "procurement": "order",
    "acquire": "order",
    "acquisition": "order",
    "deal": "order",
    "agreement": "order",
    "conclude": "order",
    # deliveries: handed over, shipped, arrived, inducted
    "deliver": "delivery",
    "delivery": "delivery",
    "receive": "delivery",
    "induct": "delivery",
    "induction": "delivery",
    "arrive": "delivery",
    "arrival": "delivery",
    "ship": "delivery",
    "shipment": "delivery",
    "supply": "delivery",
    "handover": "delivery",
    "hand": "delivery",
    "transfer": "delivery",
    "export": "delivery",
    "sell": "order",
    "sale": "order",
    # deployment: put to use by the recipient
    "deploy": "deployment",
    "deployment": "deployment",
    "activate": "deployment",
    "test": "deployment",
    "operational": "deployment",
    "operationalise": "deployment",
    "operationalize": "deployment",
    "commission": "deployment",
    "trial": "deployment",
    "fire": "deployment",
    "integrate": "deployment",
    "integration": "deployment",
    "employ": "deployment",
    # cancellation of an existing deal or programme
    "cancel": "cancellation",
    "cancellation": "cancellation",
    "scrap": "cancellation",
    "terminate": "cancellation",
    "suspend": "cancellation",
    "freeze": "cancellation",
    "abandon": "cancellation",
    "withdraw": "cancellation",
}

# Participles that state a transfer after a hyphen ("Russian-supplied", "newly-acquired").
TRANSFER_PARTICIPLES: dict[str, str] = {
    "supplied": "delivery",
    "acquired": "delivery",
    "delivered": "delivery",
    "procured": "delivery",
    "imported": "delivery",
    "purchased": "delivery",
    "bought": "delivery",
}

# Phrasal verbs: (verb lemma, particle) -> type.
PHRASAL: dict[tuple[str, str], str] = {
    ("pull", "out"): "cancellation",
    ("walk", "out"): "cancellation",
    ("back", "out"): "cancellation",
    ("hand", "over"): "delivery",
    ("take", "delivery"): "delivery",
    ("turn", "down"): "talks",
    ("roll", "out"): "delivery",
    ("call", "off"): "talks",  # a sale called off was never concluded (SCHEMA: failed talks)
}

# Verbs that carry a nominal trigger: "placed orders", "held talks", "made an offer".
LIGHT_VERBS = frozenset(
    {
        "place",
        "make",
        "hold",
        "conduct",
        "complete",
        "start",
        "begin",
        "continue",
        "resume",
        "seek",
        "want",
        "plan",
        "intend",
        "decide",
        "initiate",
        "launch",
        "issue",
        "get",
        "have",
        "take",
        "put",
        "finalise",
        "finalize",
        "sign",
        "ink",
        "conclude",
        "receive",
        "submit",
        "accept",
        "reject",
        "win",
        "award",
        "approve",
        "clear",
        "announce",
    }
)
# "jets powered by F414 engines", "ships armed with BrahMos": what is bought is the platform.
FITTED_WITH = frozenset({"power", "arm", "fit", "mount", "carry"})
# Words on the path between a system and a trigger that make the system something else than
# the thing transferred: what it replaces, supplements or is compared with, or the platform a
# weapon is fitted into.
BLOCKERS = frozenset(
    {
        "swap",
        "upgrade",
        "modify",
        "modification",
        "retrofit",
        "refit",
        "operate",
        "retain",
        "retire",
        "retirement",
        "decommission",
        "replace",
        "replacement",
        "supplement",
        "like",
        "unlike",
        "than",
        "versus",
        "vs",
        "into",
        "onto",
        "aboard",
        "compare",
        "rival",
        "instead",
        "succeed",
        "successor",
        "alternative",
        "counter",
        "against",
        "equip",
    }
) | FITTED_WITH
# A system developed, not transferred ("a workshare agreement for the engine development of
# the IMRH"); but leaving a joint development is a cancellation.
DEVELOPMENT_NOUNS = frozenset({"development", "co-development", "codevelopment"})
# Prepositions that open a background clause: a trigger above them governs something else.
ADJUNCT_PREPOSITIONS = frozenset(
    {
        "after",
        "before",
        "since",
        "following",
        "during",
        "until",
        "despite",
        "amid",
        "besides",
    }
)
# Nouns of a competition: tests and trials next to them are evaluations (talks).
COMPETITION_NOUNS = frozenset(
    {
        "tender",
        "competition",
        "contender",
        "winner",
        "bid",
        "contest",
        "rfp",
        "shortlist",
        "race",
        "competitor",
        "rival",
    }
)
# Nouns for groups that act for their state ("the Vietnamese delegation is planning ...").
ACTOR_NOUNS = frozenset(
    {
        "delegation",
        "team",
        "official",
        "government",
        "company",
        "firm",
        "manufacturer",
        "side",
        "authority",
        "ministry",
        "navy",
        "army",
        "force",
        "military",
        "administration",
        "officials",
        # "Malaysia, another Su-30 operator, has put in a request"
        "operator",
        "customer",
        "buyer",
        "client",
    }
)
# Words that mark a system as the state's own product ("India's locally developed Astra").
HOMEGROWN = frozenset(
    {
        "indigenous",
        "indigenously",
        "homegrown",
        "home-grown",
        "locally",
        "domestic",
        "domestically",
        "in-house",
        "desi",
    }
)
# Modality that denies more than it expects.
DENYING_HEADS = frozenset(
    {
        "unlikely", "impossible", "doubtful", "unwilling", "reluctant", "unable", "unaware",
        "fail", "refuse", "miss", "lose",
    }
)
# Objects that make "sign" a step short of a contract.
PRE_CONTRACT_OBJECTS = frozenset({"mou", "memorandum", "loi", "letter", "framework", "protocol"})
MILITARY_NOUNS = frozenset(
    {
        "force",
        "navy",
        "army",
        "military",
        "government",
        "ministry",
        "defence",
        "defense",
        "guard",
        "command",
        "forces",
        "troops",
        "administration",
    }
)

SUPPLIER_SUBJECT = frozenset(
    {
        "sell",
        "supply",
        "deliver",
        "offer",
        "export",
        "provide",
        "hand",
        "ship",
        "transfer",
        "pitch",
        "propose",
        "gift",
        "donate",
        "make",
        "manufacture",
        "build",
        "produce",
        "bid",
        "compete",
        "market",
        "design",
        "develop",
    }
)
# Verbs with two parties as subjects ("Russia and Turkey signed ...").
SYMMETRIC = frozenset(
    {
        "sign",
        "agree",
        "negotiate",
        "discuss",
        "talk",
        "conclude",
        "finalise",
        "finalize",
        "ink",
        "hold",
    }
)

# Heads that make what they govern a plan rather than a fact.
EXPECTATION_HEADS = frozenset(
    {
        "expect",
        "likely",
        "plan",
        "intend",
        "schedule",
        "set",
        "aim",
        "hope",
        "seek",
        "want",
        "poise",
        "slate",
        "due",
        "going",
        "tip",
        "wish",
        "keen",
        "eager",
        "ready",
        "prepare",
        "propose",
        "consider",
        "mull",
        "look",
        "decide",
        "agree",
        "need",
        "would",
        "will",
        "may",
        "might",
        "could",
        "should",
        "shall",
        "can",
        "possible",
        "potential",
        "upcoming",
        "future",
        "planned",
        "proposed",
        "prospective",
        "anticipate",
        "envisage",
        "project",
        "likelihood",
    }
)
MODALS = frozenset({"will", "shall", "would", "may", "might", "could", "should", "can", "'ll"})
# Heads under which an event is someone's wish or a demand, not a step of a deal.
# What a report can rest on that makes it no fact: "according to unconfirmed rumours".
HEARSAY = frozenset({"rumour", "rumor", "speculation", "allegation", "claim", "hearsay"})
IRREALIS_HEADS = HEARSAY | frozenset({
    "pressure", "urge", "demand", "ask", "insist", "warn", "case", "speculate", "hint",
    "debate", "mystery", "allege", "chance", "possibility", "prospect", "scenario",
    "enable", "capable",  # a capability: "yards that can deliver a frigate in 4 years"
})
# Verbs that, in the present, make what they govern a capability or an option ("methods that
# allow yards to deliver a frigate in four years"); in the past they grant it.
ALLOWING_VERBS = frozenset({"allow", "let", "permit"})
SPEECH_VERBS = frozenset(
    {
        "say",
        "tell",
        "state",
        "add",
        "report",
        "quote",
        "claim",
        "announce",
        "note",
        "remark",
        "confirm",
        "write",
        "brief",
        "call",
        "accord",
    }
)
# Nouns that refer back to the system an article is about ("the systems", "the jets").
ANAPHORA_NOUNS = frozenset(
    {
        "system",
        "deal",
        "contract",
        "jet",
        "aircraft",
        "fighter",
        "missile",
        "helicopter",
        "battery",
        "regiment",
        "squadron",
        "platform",
        "weapon",
        "drone",
        "submarine",
        "ship",
        "delivery",
        "order",
        "purchase",
        "unit",
        "vessel",
        "tank",
        "gun",
        "howitzer",
    }
)
DETERMINERS = frozenset({"the", "these", "this", "those", "its", "their"})

# Unit nouns (lemmas) -> SCHEMA.md quantity units.
UNITS: dict[str, str] = {
    "battery": "battery",
    "battalion": "battalion",
    "regiment": "regiment",
    "squadron": "squadron",
    "system": "system",
    "aircraft": "aircraft",
    "jet": "aircraft",
    "fighter": "aircraft",
    "plane": "aircraft",
    "airplane": "aircraft",
    "drone": "aircraft",
    "uav": "aircraft",
    "helicopter": "helicopter",
    "chopper": "helicopter",
    "missile": "missile",
    "launcher": "launcher",
    "ship": "ship",
    "vessel": "ship",
    "frigate": "ship",
    "corvette": "ship",
    "destroyer": "ship",
    "submarine": "submarine",
    "tank": "tank",
    "vehicle": "vehicle",
    "unit": "unit",
    "gun": "system",
    "howitzer": "system",
}
CATEGORY_UNITS: dict[str, str] = {
    "aircraft": "aircraft",
    "missiles": "missile",
    "ships": "ship",
    "armoured vehicles": "vehicle",
}

# "produced under licence", "built under transfer of technology": licensed production abroad.
LICENSED_PRODUCTION_VERBS = frozenset({"produce", "manufacture", "build", "assemble", "make"})
LICENCE_WORDS = frozenset({"licence", "license", "tot", "transfer"})
# Things that "offer" features rather than states that offer weapons.
MACHINE_NOUNS = frozenset({"engine", "radar", "variant", "version", "design", "type", "model"})
# Verbs that, with a machine as subject, state a feature or a fit ("the engine delivers 98 kN",
# "the Su-30SM2s will receive a new radar"), not a transfer between states.
THING_SUBJECT_VERBS = frozenset({"offer", "provide", "receive", "get", "deliver"})
# Nouns that a transfer word only classifies: "export version", "data acquisition system".
KIND_NOUNS = frozenset({
    "version", "variant", "model", "system", "market", "potential", "capability", "radar",
    "pod", "sensor", "chain",  # "its supply chain in India"
})
# What a state receives that is no weapon: "the programme started receiving funds".
MONEY_NOUNS = frozenset(
    {"fund", "funding", "money", "payment", "loan", "credit", "grant", "investment"}
)
TECHNOLOGY_NOUNS = frozenset({"technology", "tot", "know-how"})
# Where forces are moved to: "inducted tanks in operational areas" is a deployment.
PLACE_NOUNS = frozenset({
    "area", "region", "sector", "border", "front", "theatre", "theater", "base", "location",
    "zone", "frontier", "valley",
})
# Approvals; "cleared for integration", "approved for use on the fleet" certify, they buy nothing.
APPROVALS = frozenset({"clear", "clearance", "approve", "approval", "certify", "certification"})
USE_NOUNS = frozenset({
    "fleet", "integration", "use", "trial", "firing", "flight", "operation", "service", "induction",
})
# Nouns for a deal as a whole, whose stated worth is the deal's value.
DEAL_NOUNS = frozenset({"deal", "contract", "agreement", "order", "purchase", "package"})
# Heads under which a purchase is sought, not done: it is talks.
SEEKING_HEADS = frozenset({
    "decide", "choose", "select", "opt", "approve", "clear", "shortlist", "clearance",
    "approval",
    "interest", "interested", "keen", "try", "attempt", "effort", "bid", "talk", "talks",
    "negotiation", "negotiate", "discuss", "discussion", "consider", "explore", "mull", "eye",
    "push", "lobby", "pitch", "proposal", "propose", "request", "seek", "want", "plan",
    "offer", "tender", "competition", "looking", "look",
    # approvals on the way to a contract, and work on one
    "authorise", "authorize", "back", "licence", "license", "rfi", "rfp", "respond",
    "response", "consideration", "favour", "favor", "prefer", "work", "pursue",
})
# Willingness, which makes a sale an offer ("ready to supply", "hopes to sell") but leaves a
# receipt expected ("hopes to receive the first jets in 2025").
WILLING_HEADS = frozenset(
    {"hope", "wish", "desire", "eager", "willing", "ready", "prepared", "keen", "promise"}
)
RECEIVING_TRIGGERS = frozenset(
    {"receive", "induct", "induction", "arrive", "arrival", "take", "get", "join"}
)
# Verbs whose subject can be talks that bore fruit ("the talks ended with a contract").
OUTCOME_VERBS = frozenset(
    {"end", "conclude", "culminate", "result", "lead", "yield", "produce", "pave", "clear"}
)
# Transfer verbs that, under "should" or "must", are an author's advice.
ADVISED_VERBS = frozenset({
    "buy", "order", "procure", "acquire", "purchase", "offer", "sell", "go", "opt", "choose",
    "select", "consider", "induct",
})
# Nouns for things that belong to a platform: "spares for the Su-30 fleet".
PART_NOUNS = frozenset({
    "rim", "wheel", "brake",
    "spare", "spares", "component", "part", "engine", "kit", "upgrade", "ammunition",
    "munition", "simulator", "support", "maintenance", "overhaul", "servicing", "training",
    "infrastructure", "avionics", "radar", "seat", "tyre", "tire", "software",
    "structure", "aerostructure", "nacelle", "propulsion",
})
# Nouns that name the holders of a system: "Su-30 operators", "F-16 pilots".
HOLDER_NOUNS = frozenset({"operator", "user", "pilot", "crew", "customer", "airframe", "hangar"})
# "cleared to carry", "approved to fire": a certification of use.
USE_VERBS = frozenset({"carry", "fire", "use", "operate", "fly", "integrate", "employ", "arm"})
# Verbs of getting whose object states the event: "received bids", "won the contract".
GETTING_VERBS = frozenset({"receive", "get", "win", "bag", "secure", "land", "clinch", "grab"})
# What one gets before a sale, not the weapon: "received a license to provide F-15EX jets".
PERMISSION_NOUNS = frozenset(
    {"license", "licence", "clearance", "approval", "nod", "permission", "go-ahead", "waiver"}
)
# Verbs of a deal moving on, whose denial denies the deal: "the deal won't go ahead".
GOING_AHEAD = frozenset(
    {"go", "move", "proceed", "happen", "materialise", "materialize", "fructify", "progress"}
)
# Papers handed over or received, not weapons: "hand over the final verdict on the jets".
PAPER_NOUNS = frozenset(
    {"verdict", "decision", "report", "file", "recommendation", "document", "documentation"}
)
# Seeking words that look ahead: talks under them have not started ("plans to buy").
PLANNING_HEADS = frozenset({"plan", "intend", "aim", "propose", "want", "hope", "wish", "seek"})
# "dependent on Russia for": the state relied on supplies.
RELIANCE = frozenset({"dependent", "depend", "reliant", "rely", "dependence", "reliance"})
# Units that count a weapon of each category, when a sentence gives the number apart from the
# name ("the tender for 27 deck-based fighter jets", "to procure 1,700 tanks").
CATEGORY_COUNTS: dict[str, frozenset[str]] = {
    "aircraft": frozenset({"aircraft", "helicopter"}),
    "armoured vehicles": frozenset({"tank", "vehicle"}),
    "ships": frozenset({"ship", "submarine"}),
    "missiles": frozenset({"missile"}),
    "air defence systems": frozenset({"battery", "regiment", "squadron"}),
}
# Nouns after which "from X" names the buyer: "orders from India", "a contract from the navy".
ORDER_NOUNS = frozenset({"order", "contract", "request", "demand", "requirement"})
# Words that make orders a known buyer's next ones: "additional orders for the C-295".
REPEAT_WORDS = frozenset({"additional", "further", "follow-on", "repeat"})
# A request is addressed to the supplier: "put in a request to India to be briefed".
REQUEST_NOUNS = frozenset({"request", "appeal", "plea", "application", "petition", "requisition"})
# Negotiation nouns: a verb done to them ("concluding the negotiations") is still talks.
NEGOTIATION_NOUNS = frozenset({"talk", "talks", "negotiation", "discussion"})
# "in the race to secure the contract", "in the lead to win": a contender, not a winner.
IN_THE_RUNNING = frozenset({"race", "lead", "running", "fray", "contention", "reckoning"})
# Verbs whose "on" phrase names the platform a weapon is fitted on.
FITTING_VERBS = frozenset(
    {"arm", "mount", "fit", "integrate", "install", "equip", "carry", "deploy"}
)

#: prepositions that make an event a point of reference in time ("after the purchase of ...")
TIME_PREPOSITIONS = frozenset(
    {"after", "before", "since", "following", "until", "till", "despite", "amid", "post"}
)

#: adverbs that put a past step shortly before the report: dated to the publication year
RECENTLY = frozenset({"recently", "lately", "newly"})
