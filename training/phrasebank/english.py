"""A few English-language requests: foreign residents and companies write in English too."""

ENGLISH = {
    "intervention": [
        ("The street light in front of my house in via {street} has been off for a week. Could you fix it?", "normal"),
        ("There is a leaning lamp post in via {street} that looks like it could fall on the cars. Please send someone now.", "emergency"),
        ("The heating in our office at via {street} is not working and it is freezing. Please send a technician today.", "high"),
        ("A big tree fell across via {street} and is blocking the road. It is dangerous, please come immediately.", "emergency"),
        ("The printer on the second floor keeps jamming, could someone take a look?", "normal"),
        ("Our fuel card {card} was stolen last night, please block it immediately.", "high"),
        ("Two people are stuck in the lift of the library, please send help now.", "emergency"),
    ],
    "status": [
        ("Could you tell me the status of ticket {ticket}? I reported a broken light on {date}.", "normal"),
        ("Any update on my claim {claim}? I sent the documents two weeks ago.", "normal"),
        ("When is the repair of the pothole in via {street} scheduled?", "normal"),
    ],
    "clarification": [
        ("Does the insurance policy cover hail damage to our vehicles?", "low"),
        ("Can a foreign company apply to the {call}? Thanks in advance.", "low"),
        ("How can I download the monthly statement of our toll cards?", "low"),
        ("What documents do I need to report a claim? I need to know by tomorrow.", "high"),
    ],
    "reminder": [
        ("This is my second reminder about ticket {ticket}: nobody has fixed the street light yet.", "normal"),
        ("I wrote to you on {date} about the broken heating and still no answer. Please reply.", "high"),
    ],
    "complaint": [
        ("I want to file a formal complaint about the double charge on card {card}. I expect a refund.", "normal"),
        ("I am writing to formally complain about the rude behaviour of your technician. I expect a written answer.", "normal"),
    ],
}
